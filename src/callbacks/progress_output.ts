/**
 * Where `fit`'s progress and the callbacks' messages go ("Epoch 3: early stopping").
 *
 * The library core is browser-clean, so it writes through this small interface: the default prints
 * whole lines with `console.log` (a browser's console, or stdout in Node when nothing else is set);
 * the Node entry point of the package (`index.node.ts`) and the CLI install the stderr output of
 * `progress_output.node.ts`, which draws progress bars with cli-progress on a terminal and writes
 * plain lines otherwise.
 */

/** A progress bar being drawn (only on an interactive output). */
export interface ProgressBar {
  /** Moves the bar to `value` of its total, with `text` (the running metrics) after it. */
  update(value: number, text: string): void;
  /** Leaves the bar as last drawn and ends its line. */
  stop(): void;
}

export interface ProgressOutput {
  /** True when progress bars can be redrawn in place (a terminal); else only whole lines are written. */
  readonly interactive: boolean;
  /** Writes one line (without its newline). */
  line(text: string): void;
  /** Starts a bar of `total` steps; called only when `interactive`. */
  startBar?(total: number): ProgressBar;
}

/** Whole lines through `console.log`; never draws bars. */
export const CONSOLE_OUTPUT: ProgressOutput = {
  interactive: false,
  line: (text) => console.log(text),
};

/** Writes nothing (for tests and for silencing every message). */
export const SILENT_OUTPUT: ProgressOutput = { interactive: false, line: () => {} };

let current: ProgressOutput = CONSOLE_OUTPUT;

/**
 * Sets where progress and callback messages go, for every later `fit`; returns the previous output.
 * @example const previous = setProgressOutput(SILENT_OUTPUT); ...; setProgressOutput(previous);
 */
export function setProgressOutput(output: ProgressOutput): ProgressOutput {
  const previous = current;
  current = output;
  return previous;
}

/** The output in use. */
export function getProgressOutput(): ProgressOutput {
  return current;
}

/** Writes a message line to the output in use (Keras's `io_utils.print_msg`). */
export function printMessage(text: string): void {
  current.line(text);
}
