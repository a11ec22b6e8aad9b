#!/usr/bin/env node
/**
 * The deepwell command line. Exit codes: 0 success, 1 failure while running, 2 bad usage or bad
 * input (the message names the option and the valid values).
 */
import { createRequire } from 'node:module';
import '../kernels/native/register.node.js';
import { Command, CommanderError } from 'commander';
import '../io/file_store.node.js';
import { DataError, ShapeError, ValueError } from '../core/errors.js';
import { INITIALIZER_NAMES } from '../initializers/index.js';
import { OPTIMIZER_NAMES } from '../optimizers/get.js';
import { type DiagnoseFlags, runDiagnose } from './diagnose.js';
import { type ExperimentFlags, runInitGrid } from './experiment.js';
import { EXPERIMENTS, experimentList } from './experiments/index.js';
import type { CommonFlags } from './experiments/common.js';
import { RunFailure } from './report.js';
import { type TrainFlags, refuseSettingsWithResume, runTrain } from './train.js';
import { HIDDEN_ACTIVATIONS } from './hidden_layers.js';
import { UsageError } from './usage_error.js';
import { useNodeProgressOutput } from '../callbacks/progress_output.node.js';
import { CLI_SCHEDULES } from './toolkit_flags.js';
import { type InitializersFlags, runInitializers } from './initializers.js';
import { type EvaluateFlags, type ExportFlags, type PredictFlags, runEvaluate, runExport, runPredict, runSummary } from './model_commands.js';
import { MODEL_FORMATS } from '../models/model_store.js';
import { type InfoFlags, runInfo } from './info.js';
import { type PlaygroundFlags, runPlayground } from './playground.js';

/** The package version, read from package.json. */
const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
const EXIT_FAILURE = 1;
/** Help of `--arch` (train and diagnose). */
const ARCH_HELP = "architecture: 'mlp' (default: --hidden layers), 'cnn' (the Keras-example convnet: Conv2D 32 and 64, 5x5 (--kernel-size), with --activation/--init, max pooling, dropout 0.5) or 'resnet' (a residual convnet of --depth blocks, default 3: Conv2D-act-Conv2D + identity or 1x1 projection shortcut, Add, act; --batch-norm after each convolution)";
const EXIT_USAGE = 2;

/** The options that describe the network and its data, shared by `train` and `diagnose`. */
function networkOptions(cmd: Command, help: { hidden: string; depth: string }): Command {
  return cmd
    .option('--data <name|dir|file.csv>', "'mnist' (bundled, 60,000 + 10,000 digits), a folder of IDX files (e.g. Fashion-MNIST), or a CSV file (with --label)", 'mnist')
    .option('--label <column>', 'with a CSV file: the column to predict (integer or text labels: classification; numbers with a fraction: regression with mean squared error)')
    .option('--hidden <units>', help.hidden)
    .option('--depth <n>', help.depth)
    .option('--units <n>', 'units per hidden layer (with --depth; default 100)')
    .option('--kernel-size <n>', "--arch cnn: side of both convolutions' square kernels (default 5; 3 is the Keras example exactly)")
    .option('--activation <name>', `hidden activation: ${HIDDEN_ACTIVATIONS.join(', ')}`, 'relu')
    .option('--init <name>', `kernel initializer of the hidden layers (any spelling initializers.get accepts): ${INITIALIZER_NAMES.join(', ')}`, 'he_normal')
    .option('--standardize', "standardize each input feature with the training set's mean and std (default for a CSV file)")
    .option('--no-standardize', 'feed the inputs as they are (default for images: pixel / 255)')
    .option('--std-floor <fraction>', "with --standardize: floor on each feature's std, as a fraction of the range of the training values (default 0.1 for images: inputs stay within 10 std; 0 for a CSV file)")
    .option('--batch-norm', 'BatchNormalization after the input and after each hidden layer (the book\'s model); --arch cnn|resnet: after each convolution')
    .option('--dropout <rate>', '--arch mlp: dropout rate in [0, 1) after the input and each hidden layer (AlphaDropout with selu)')
    .option('--l2 <factor>', '--arch mlp: L2 regularization factor on every kernel (Keras l2: factor * sum(w^2))');
}

function program(): Command {
  const p = new Command('deepwell')
    .version(VERSION)
    .description('Train deep networks that train well: exact initializers, gradient-flow statistics, WebAssembly kernels.')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  networkOptions(p.command('train'), { hidden: 'comma-separated hidden layer sizes (default 300,100)', depth: 'number of hidden layers (with --units); --arch resnet: residual blocks (default 3)' })
    .description('Train a network (--arch mlp, cnn or resnet: a multilayer perceptron, the Keras-example convnet, or a residual convnet) on MNIST, a folder of MNIST-style IDX files, or a CSV file (mlp), and report per-layer gradient statistics.')
    .option('--arch <name>', ARCH_HELP, 'mlp')
    .option('--optimizer <name>', `optimizer: ${OPTIMIZER_NAMES.join(', ')}`, 'adam')
    .option('--lr <rate>', 'learning rate (default 0.001 for adam, 0.01 for sgd)')
    .option('--epochs <n>', 'passes over the training data', '5')
    .option('--batch-size <n>', 'samples per gradient step', '32')
    .option('--seed <n>', 'random seed: the same seed reproduces the run bit for bit', '42')
    .option('--validation-split <fraction>', 'fraction of the training images held out for validation (taken from the end)', '0.1')
    .option('--json', 'print one JSON object on stdout at the end (progress stays on stderr)')
    .option('--no-init-advice', 'do not warn when an initializer does not suit its activation (Glorot: none, tanh, sigmoid, softmax; He: ReLU family; LeCun: SELU)')
    .option('--report <file.html>', 'write a self-contained HTML report: activation and gradient std by layer at initialization and after each epoch, loss and accuracy curves')
    .option('--clip-norm <c>', 'clip each gradient tensor to norm c')
    .option('--clip-value <v>', 'clip every gradient element to [-v, v]')
    .option('--global-clip-norm <c>', 'scale all gradients together so their joint norm is at most c')
    .option('--momentum <m>', 'SGD momentum in [0, 1) (with --optimizer sgd)')
    .option('--nesterov', 'Nesterov momentum (with --optimizer sgd --momentum m)')
    .option('--schedule <name>', `learning-rate schedule over the run: ${CLI_SCHEDULES.join(', ')}`, 'constant')
    .option('--early-stopping <patience>', 'stop when val_loss has not improved for this many epochs, and restore the best weights')
    .option('--no-monitor', 'do not record per-layer statistics and do not stop at the first NaN or infinite value')
    .option('--save <path>', 'save the trained model with its optimizer state and training position (a folder, file.safetensors, file.keras, file.h5)')
    .option('--resume <path>', 'continue a run saved with --save up to --epochs in total (settings and data come from the saved run)')
    .action(async (flags: TrainFlags, cmd: Command) => {
      if (flags.resume !== undefined) refuseSettingsWithResume(cmd.options.filter((o) => cmd.getOptionValueSource(o.attributeName()) === 'cli').map((o) => o.long ?? o.flags));
      await runTrain(flags);
    });
  networkOptions(p.command('diagnose'), { hidden: 'comma-separated hidden layer sizes (instead of --depth/--units)', depth: 'number of hidden layers (default 30); --arch resnet: residual blocks (default 3)' })
    .description('Initialize a network (an MLP, or --arch cnn|resnet), pass one batch forward and backward, and report per layer how the signal and the gradients flow, against the theory, with a verdict and the fix.')
    .option('--arch <name>', ARCH_HELP, 'mlp')
    .option('--batch-size <n>', 'images in the diagnosed batch', '256')
    .option('--seed <n>', 'random seed of the weights and of the batch', '42')
    .option('--report <file.html>', 'also write a self-contained HTML report with plots')
    .option('--json', 'print one JSON object on stdout: { layers: [...], verdict: { kind, layers, cause, fix } }')
    .action(async (flags: DiagnoseFlags) => {
      await runDiagnose(flags);
    });
  const experiment = p.command('experiment').description('Reproducible experiments of the chapter on unstable gradients.');
  experiment.command('init-grid')
    .description('Activations {sigmoid, tanh, relu, selu} x initializers {random_normal(stddev 1), glorot_uniform, he_normal, lecun_normal} on a deep MLP: the diagnosis at initialization, then a few epochs of training; a table and a report.')
    .option('--data <name|dir>', "'mnist' (bundled) or a folder of IDX files", 'mnist')
    .option('--depth <n>', 'number of hidden layers', '30')
    .option('--units <n>', 'units per hidden layer', '100')
    .option('--epochs <n>', 'training epochs per network', '2')
    .option('--train-size <n>', 'training images used (the first n; validation is the last 5,000)', '10000')
    .option('--batch-size <n>', 'samples per gradient step', '32')
    .option('--optimizer <name>', `optimizer: ${OPTIMIZER_NAMES.join(', ')}`, 'sgd')
    .option('--lr <rate>', 'learning rate', '0.01')
    .option('--activations <list>', 'comma-separated subset of the activations', 'sigmoid,tanh,relu,selu')
    .option('--inits <list>', 'comma-separated subset of the initializers', 'random_normal,glorot_uniform,he_normal,lecun_normal')
    .option('--seed <n>', 'random seed', '42')
    .option('--report <file.html>', 'write a self-contained HTML report with plots')
    .option('--json', 'print one JSON object on stdout')
    .action(async (flags: ExperimentFlags) => {
      await runInitGrid(flags);
    });
  experiment.command('list')
    .description('The chapter\'s experiments, with the book section each reproduces.')
    .action(() => {
      process.stdout.write(`${experimentList()}\n`);
    });
  for (const e of EXPERIMENTS) {
    const cmd = experiment.command(e.name)
      .description(`${e.source ?? `HML ch. 11 ${e.section}`}: ${e.summary}.`)
      .option('--data <name|dir>', "'mnist' (bundled) or a folder of IDX files (Fashion-MNIST: the book's data set)", 'mnist')
      .option('--quick', 'a smaller training set and fewer epochs (about a minute)')
      .option('--seeds <n>', 'number of seeds (--seed, --seed + 1, ...); figures are mean and std over them', '3')
      .option('--seed <n>', 'first seed', '42')
      .option('--train-size <n>', 'training images (the first n; validation is the last 5,000); selu-simulation: rows of the input batch')
      .option('--epochs <n>', 'training epochs; selu-simulation: layers')
      .option('--report <file.html>', 'write a self-contained HTML report with the curves and the per-layer gradient picture')
      .option('--json', 'print one JSON object on stdout: { experiment, data, claim: { statement, criterion, held }, runs: [{ config, seed, history, test }] }');
    if (e.name === 'deep-selu') cmd.option('--depth <n>', 'hidden layers (default 100, the book\'s)');
    if (e.name === 'plain-vs-residual') cmd.option('--init <name>', 'kernel initializer of every convolution (default glorot_uniform, Keras\'s)');
    const run = e.run;
    cmd.action(async (flags: CommonFlags) => {
      if (run !== null) await run(flags);
    });
  }
  p.command('summary')
    .argument('<model_path>', 'a saved model: deepwell folder or .safetensors, TF.js model.json (or its folder), Keras .keras or .h5')
    .description('Print the layers, output shapes and parameter counts of a saved model (any format).')
    .action(async (path: string) => {
      await runSummary(path);
    });
  p.command('evaluate')
    .argument('<model_path>', 'a saved model (any format)')
    .description('Loss and accuracy of a saved model on the test images of --data (default: the data it was trained on, or MNIST).')
    .option('--data <name|dir>', "'mnist' or a folder of IDX files (default: as saved by deepwell train, else mnist)")
    .option('--batch-size <n>', 'samples per batch', '256')
    .option('--json', 'print one JSON object on stdout')
    .action(async (path: string, flags: EvaluateFlags) => {
      await runEvaluate(path, flags);
    });
  p.command('predict')
    .argument('<model_path>', 'a saved model (any format)')
    .argument('<input>', 'IDX images (raw or .gz) or a CSV of pixel rows 0..255, one sample per row')
    .description('The most probable class and its probability for each input sample.')
    .option('--json', 'print one JSON object on stdout: { predictions: [{ class, probability }] }')
    .action(async (path: string, input: string, flags: PredictFlags) => {
      await runPredict(path, input, flags);
    });
  p.command('export')
    .argument('<model_path>', 'a saved model (any format)')
    .argument('<out>', 'where to write: a folder (deepwell, tfjs), file.safetensors, file.keras, file.h5')
    .description('Write a saved model in another format: deepwell (config + safetensors), tfjs (model.json + shards for tf.loadLayersModel), keras (.keras), h5 (Keras 2).')
    .requiredOption('--format <format>', `one of ${MODEL_FORMATS.join(', ')}`)
    .action(async (path: string, out: string, flags: ExportFlags) => {
      await runExport(path, out, flags);
    });
  p.command('initializers')
    .description('For every initializer: fans, theoretical std and bound, and the same measured on a sample of the shape.')
    .option('--shape <dims>', 'kernel shape, comma-separated (Dense: in,out; conv: kh,kw,in,out)', '784,300')
    .option('--seed <n>', 'random seed of the samples', '42')
    .option('--json', 'print one JSON object on stdout')
    .action((flags: InitializersFlags) => {
      runInitializers(flags);
    });
  p.command('info')
    .description('Which kernel backend runs (native, wasm or ts) and why, and how many threads it uses.')
    .option('--json', 'print one JSON object on stdout: { version, backend, reason, detail, threads, backends }')
    .action((flags: InfoFlags) => {
      runInfo(flags, VERSION);
    });
  p.command('playground')
    .description('Serve the gradient-flow playground on 127.0.0.1 and print its URL (it does not open a browser).')
    .option('--port <n>', 'port to listen on (0: any free port)', '8080')
    .action(async (flags: PlaygroundFlags) => {
      await runPlayground(flags);
    });
  return p;
}

async function main(argv: string[]): Promise<number> {
  // fit's messages and the callbacks' (early stopping, learning-rate reductions) go to stderr, never into --json's stdout.
  useNodeProgressOutput();
  try {
    await program().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are not errors; everything else commander rejects is bad usage.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof RunFailure) {
      // The run failed for a reason already explained (e.g. training diverged); its output is printed.
      process.stderr.write(`deepwell: ${e.message}\n`);
      return EXIT_FAILURE;
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
