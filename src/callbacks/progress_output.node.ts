/**
 * The Node output of `fit`'s progress: stderr, with a cli-progress bar per epoch when stderr is a
 * terminal and plain lines otherwise (a log file or a CI job gets one line per epoch, no redraws).
 * Installed by the package's Node entry point and by the CLI.
 */
import cliProgress from 'cli-progress';
import { type ProgressBar, type ProgressOutput, setProgressOutput } from './progress_output.js';

/** The output on a Node stream (default stderr). */
export function nodeProgressOutput(stream: NodeJS.WriteStream = process.stderr): ProgressOutput {
  let active: cliProgress.SingleBar | null = null;
  return {
    interactive: stream.isTTY === true,
    line(text: string): void {
      // A message during an epoch (TerminateOnNaN, ReduceLROnPlateau) clears the bar's line first; the bar redraws below it.
      if (active !== null) stream.write('\r\x1b[K');
      stream.write(`${text}\n`);
    },
    startBar(total: number): ProgressBar {
      const bar = new cliProgress.SingleBar({
        stream,
        format: '{value}/{total} {bar} {text}',
        barCompleteChar: '\u2501',
        barIncompleteChar: '\u2500',
        barsize: 20,
        hideCursor: true,
        clearOnComplete: false,
        // Redraws at most 10 times a second: a step of a small model takes well under a millisecond.
        fps: 10,
      });
      bar.start(total, 0, { text: '' });
      active = bar;
      return {
        update: (value, text) => bar.update(value, { text }),
        stop: () => {
          bar.stop();
          if (active === bar) active = null;
        },
      };
    },
  };
}

/** Sends every later `fit`'s progress and callback messages to `stream` (default stderr). */
export function useNodeProgressOutput(stream: NodeJS.WriteStream = process.stderr): ProgressOutput {
  return setProgressOutput(nodeProgressOutput(stream));
}
