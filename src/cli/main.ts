#!/usr/bin/env node
/**
 * The deepwell command line. Exit codes: 0 success, 1 failure while running, 2 bad usage or bad
 * input (the message names the option and the valid values).
 */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { DataError, ShapeError, ValueError } from '../core/errors.js';
import { INITIALIZER_NAMES } from '../initializers/index.js';
import { OPTIMIZER_NAMES } from '../optimizers/get.js';
import { HIDDEN_ACTIVATIONS, type TrainFlags, runTrain } from './train.js';
import { UsageError } from './usage_error.js';

/** The package version, read from package.json. */
const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

function program(): Command {
  const p = new Command('deepwell')
    .version(VERSION)
    .description('Train deep networks that train well: exact initializers, gradient-flow statistics, WebAssembly kernels.')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  p.command('train')
    .description('Train a multilayer perceptron on MNIST (or a folder of MNIST-style IDX files) and report per-layer gradient statistics.')
    .option('--data <name|dir>', "'mnist' (bundled, 60,000 + 10,000 digits) or a folder of IDX files (e.g. Fashion-MNIST)", 'mnist')
    .option('--hidden <units>', 'comma-separated hidden layer sizes (default 300,100)')
    .option('--depth <n>', 'number of hidden layers (with --units)')
    .option('--units <n>', 'units per hidden layer (with --depth; default 100)')
    .option('--activation <name>', `hidden activation: ${HIDDEN_ACTIVATIONS.join(', ')}`, 'relu')
    .option('--init <name>', `kernel initializer of the hidden layers: ${INITIALIZER_NAMES.join(', ')}`, 'he_normal')
    .option('--optimizer <name>', `optimizer: ${OPTIMIZER_NAMES.join(', ')}`, 'adam')
    .option('--lr <rate>', 'learning rate (default 0.001 for adam, 0.01 for sgd)')
    .option('--epochs <n>', 'passes over the training data', '5')
    .option('--batch-size <n>', 'samples per gradient step', '32')
    .option('--seed <n>', 'random seed: the same seed reproduces the run bit for bit', '42')
    .option('--validation-split <fraction>', 'fraction of the training images held out for validation (taken from the end)', '0.1')
    .option('--json', 'print one JSON object on stdout at the end (progress stays on stderr)')
    .option('--no-init-advice', 'do not warn when an initializer does not suit its activation (Glorot: none, tanh, sigmoid, softmax; He: ReLU family; LeCun: SELU)')
    .action(async (flags: TrainFlags) => {
      await runTrain(flags);
    });
  return p;
}

async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is bad usage.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof UsageError || e instanceof DataError || e instanceof ValueError || e instanceof ShapeError) {
      process.stderr.write(`deepwell: ${e.message}\n`);
      return EXIT_USAGE;
    }
    process.stderr.write(`deepwell: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_FAILURE;
  }
}

process.exitCode = await main(process.argv);
