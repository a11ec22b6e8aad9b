/**
 * The Node output of `fit`'s progress: stderr, with a cli-progress bar per epoch when stderr is a
 * terminal and plain lines otherwise (a log file or a CI job gets one line per epoch, no redraws).
 * Installed by the package's Node entry point and by the CLI.
 */
import cliProgress from 'cli-progress';
import { type ProgressBar, type ProgressOutput, setProgressOutput } from './progress_output.js';

/** A cli-progress bar in Keras's style: `12/85 ━━━━━━━─────── 1s 2ms/step - loss: ...`. */
function newBar(stream: NodeJS.WriteStream): cliProgress.SingleBar {
  return new cliProgress.SingleBar({
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
}

/** The output on a Node stream (default stderr). */
export function nodeProgressOutput(stream: NodeJS.WriteStream = process.stderr): ProgressOutput {
  /** The bar being drawn, with what it shows (to draw it again below a message). */
  let active: { bar: cliProgress.SingleBar; total: number; value: number; text: string } | null = null;
  return {
    interactive: stream.isTTY === true,
    line(text: string): void {
      if (active === null) {
        stream.write(`${text}\n`);
        return;
      }
      // A message during an epoch (TerminateOnNaN, ReduceLROnPlateau): the bar ends its line as it
      // stands (cli-progress restores the cursor it saved, so writing under a live bar would be
      // overwritten), the message follows, and the bar goes on below it.
      active.bar.stop();
      stream.write(`${text}\n`);
      active.bar = newBar(stream);
      active.bar.start(active.total, active.value, { text: active.text });
    },
    startBar(total: number): ProgressBar {
      const state = { bar: newBar(stream), total, value: 0, text: '' };
      state.bar.start(total, 0, { text: '' });
      active = state;
      return {
        update: (value, text) => {
          state.value = value;
          state.text = text;
          state.bar.update(value, { text });
        },
        stop: () => {
          state.bar.stop();
          if (active === state) active = null;
        },
      };
    },
  };
}

/** Sends every later `fit`'s progress and callback messages to `stream` (default stderr). */
export function useNodeProgressOutput(stream: NodeJS.WriteStream = process.stderr): ProgressOutput {
  return setProgressOutput(nodeProgressOutput(stream));
}
