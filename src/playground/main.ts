/**
 * The playground page: the controls (settings in the URL), the worker that trains, and the live
 * views. Every control, the verdict, the step counter and each plot carry a `data-testid`.
 */
import type { Snapshot } from './trainer.js';
import { plotRows, updatePlot } from './plots.js';
import {
  ACTIVATIONS, CLIPPINGS, DATASETS, DEFAULTS, INITIALIZERS, LIMITS, OPTIMIZERS, PRESETS, SCHEDULES, type Settings,
  fromQuery, toQuery,
} from './settings.js';

type Field = { key: keyof Settings; label: string; kind: 'select'; options: readonly string[] }
  | { key: keyof Settings; label: string; kind: 'number'; step: string }
  | { key: keyof Settings; label: string; kind: 'checkbox' };

const FIELDS: Field[] = [
  { key: 'dataset', label: 'Data', kind: 'select', options: DATASETS },
  { key: 'noise', label: 'Noise (toy sets)', kind: 'number', step: '0.01' },
  { key: 'depth', label: 'Hidden layers', kind: 'number', step: '1' },
  { key: 'units', label: 'Units per layer', kind: 'number', step: '1' },
  { key: 'activation', label: 'Activation', kind: 'select', options: ACTIVATIONS },
  { key: 'initializer', label: 'Initializer', kind: 'select', options: INITIALIZERS },
  { key: 'batchNorm', label: 'Batch normalization', kind: 'checkbox' },
  { key: 'dropout', label: 'Dropout rate', kind: 'number', step: '0.05' },
  { key: 'optimizer', label: 'Optimizer', kind: 'select', options: OPTIMIZERS },
  { key: 'learningRate', label: 'Learning rate', kind: 'number', step: 'any' },
  { key: 'schedule', label: 'Schedule', kind: 'select', options: SCHEDULES },
  { key: 'clipping', label: 'Gradient clipping', kind: 'select', options: CLIPPINGS },
  { key: 'clipThreshold', label: 'Clipping threshold', kind: 'number', step: 'any' },
  { key: 'batchSize', label: 'Batch size', kind: 'number', step: '1' },
  { key: 'seed', label: 'Seed', kind: 'number', step: '1' },
];

const $ = <T extends HTMLElement>(testid: string): T => document.querySelector(`[data-testid="${testid}"]`) as T;

let settings: Settings = fromQuery(location.search);
let running = false;
let curve: Snapshot['curve'][] = [];
let last: Snapshot | null = null;
const worker = new Worker(new URL('worker.js', import.meta.url), { type: 'module' });

function buildControls(): void {
  const form = $<HTMLFormElement>('controls');
  for (const f of FIELDS) {
    const id = `control-${f.key}`;
    const row = document.createElement('div');
    row.className = f.kind === 'checkbox' ? 'row check' : 'row';
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = f.label;
    let input: HTMLInputElement | HTMLSelectElement;
    if (f.kind === 'select') {
      input = document.createElement('select');
      for (const o of f.options) input.append(new Option(o, o));
    } else {
      input = document.createElement('input');
      input.type = f.kind;
      if (f.kind === 'number') {
        input.step = f.step;
        const limits = LIMITS[f.key as keyof typeof LIMITS];
        input.min = String(limits[0]);
        input.max = String(limits[1]);
      }
    }
    input.id = id;
    input.name = f.key;
    input.dataset.testid = id;
    input.addEventListener('change', () => {
      const next = { ...settings } as Record<string, unknown>;
      if (input instanceof HTMLInputElement && input.type === 'checkbox') next[f.key] = input.checked;
      else if (input instanceof HTMLInputElement) next[f.key] = Number(input.value);
      else next[f.key] = input.value;
      // The URL's validation applies to what is typed too: an invalid value goes back to its default.
      applySettings(fromQuery(toQuery(next as unknown as Settings)));
    });
    if (f.kind === 'checkbox') row.append(input, label);
    else row.append(label, input);
    form.append(row);
  }
  const presets = $<HTMLSelectElement>('preset');
  for (const [key, p] of Object.entries(PRESETS)) presets.append(new Option(p.label, key));
  $<HTMLButtonElement>('load-preset').addEventListener('click', () => {
    const p = PRESETS[presets.value];
    if (p === undefined) return;
    applySettings({ ...settings, ...p.settings });
    $('preset-note').textContent = p.note;
  });
}

function showSettings(): void {
  for (const f of FIELDS) {
    const input = $<HTMLInputElement | HTMLSelectElement>(`control-${f.key}`);
    if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = settings[f.key] as boolean;
    else input.value = String(settings[f.key]);
  }
  ($<HTMLInputElement>('control-noise')).disabled = settings.dataset === 'mnist';
  ($<HTMLInputElement>('control-clipThreshold')).disabled = settings.clipping === 'none';
  (document.getElementById('panel-boundary') as HTMLElement).hidden = settings.dataset === 'mnist';
}

/** New settings: shown, put in the URL, and a fresh model in the worker. */
function applySettings(next: Settings): void {
  settings = next;
  showSettings();
  const query = toQuery(settings);
  history.replaceState(null, '', query === '' ? location.pathname : `?${query}`);
  reset();
}

function setRunning(on: boolean): void {
  running = on;
  const button = $<HTMLButtonElement>('train');
  button.textContent = on ? 'Pause' : 'Train';
  button.setAttribute('aria-pressed', String(on));
}

function reset(): void {
  setRunning(false);
  curve = [];
  last = null;
  setStatus('Building the model…');
  worker.postMessage({ type: 'reset', settings });
}

function setStatus(text: string): void {
  $('status').textContent = text;
}

const fmt = (v: number): string => (!Number.isFinite(v) ? String(v) : Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toPrecision(3) : v.toExponential(2));

/** Adds the snapshot's point to the curves (every snapshot, drawn or not). */
function record(s: Snapshot): void {
  if (s.step === 0) curve = [];
  if (curve.length === 0 || s.step > curve[curve.length - 1].step) curve.push(s.curve);
}

async function show(s: Snapshot): Promise<void> {
  last = s;
  $('step').textContent = String(s.step);
  $('epoch').textContent = String(s.epoch);
  $('loss').textContent = fmt(s.loss);
  $('accuracy').textContent = s.testAccuracy.toFixed(3);
  $('params').textContent = String(s.params);
  const verdict = $('verdict');
  verdict.dataset.kind = s.verdict.kind;
  $('verdict-kind').textContent = s.verdict.kind.replace('_', ' ');
  $('verdict-cause').textContent = s.verdict.cause;
  $('verdict-fix').textContent = s.verdict.fix;
  setStatus(running ? 'Training…' : 'Ready.');
  const positive = (v: number): boolean => Number.isFinite(v) && v > 0;
  const depthRows = (pairs: [string, keyof Snapshot['layers'][number], boolean][]) => pairs.flatMap(([series, key, theory]) =>
    s.layers.filter((l) => positive(l[key] as number)).map((l) => ({ depth: l.depth, value: l[key], series, theory: theory ? 'theory' : 'measured' })));
  const weightLayer = Math.min(Number($<HTMLSelectElement>('weight-layer').value) || 1, s.layers.length + 1);
  syncWeightLayers(s.layers.length + 1);
  await Promise.all([
    updatePlot('loss', curve.filter((c) => Number.isFinite(c.loss)).map((c) => ({ step: c.step, loss: c.loss }))),
    updatePlot('accuracy', curve.flatMap((c) => [{ step: c.step, value: c.accuracy, series: 'training batches' }, { step: c.step, value: c.testAccuracy, series: 'held-out' }])),
    updatePlot('activations', depthRows([['std now', 'activationStd', false], ['std at init', 'activationStdInit', false], ['RMS at init', 'activationRmsInit', false], ['theory RMS at init', 'theoryRmsInit', true]])),
    updatePlot('gradients', depthRows([['now', 'gradientStd', false], ['at init', 'gradientStdInit', false], ['theory at init', 'theoryGradientRmsInit', true]])),
    updatePlot('histograms', s.activationHistograms),
    updatePlot('weights', [
      ...s.weightHistograms.filter((h) => h.depth === weightLayer).map((h) => ({ kind: 'measured', x0: h.x0, x1: h.x1, value: h.value })),
      ...s.weightTheory.filter((h) => h.depth === weightLayer).map((h) => ({ kind: 'theory', x0: h.x, value: h.density })),
    ]),
    s.boundary === null ? Promise.resolve() : updatePlot('boundary', [
      ...s.boundary.map((b) => ({ kind: 'grid', ...b })),
      ...(s.points ?? []).map((p) => ({ kind: 'point', ...p })),
    ]),
  ]);
}

function syncWeightLayers(count: number): void {
  const select = $<HTMLSelectElement>('weight-layer');
  if (select.options.length === count) return;
  const keep = select.value;
  select.replaceChildren(...Array.from({ length: count }, (_, i) => new Option(i === count - 1 ? `${i + 1} (output)` : String(i + 1), String(i + 1))));
  select.value = Number(keep) <= count ? keep : '1';
}

/** The newest snapshot not drawn yet: when drawing is slower than training, only the newest is drawn. */
let waiting: Snapshot | null = null;
let drawing = false;
async function drawLatest(): Promise<void> {
  if (drawing) return;
  drawing = true;
  try {
    while (waiting !== null) {
      const s = waiting;
      waiting = null;
      await show(s);
      // A frame between two draws keeps the page responsive to clicks and keys.
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  } finally {
    drawing = false;
  }
}

worker.onmessage = (event: MessageEvent) => {
  const m = event.data as { type: 'snapshot'; snapshot: Snapshot } | { type: 'files'; files: { name: string; bytes: Uint8Array }[] } | { type: 'error'; message: string };
  if (m.type === 'snapshot') {
    record(m.snapshot);
    waiting = m.snapshot;
    void drawLatest();
  } else if (m.type === 'files') {
    for (const f of m.files) {
      const url = URL.createObjectURL(new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = f.name;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    }
  } else {
    setRunning(false);
    setStatus(`Error: ${m.message}`);
  }
};

buildControls();
$<HTMLButtonElement>('train').addEventListener('click', () => {
  setRunning(!running);
  worker.postMessage({ type: running ? 'train' : 'pause' });
});
$<HTMLButtonElement>('step-button').addEventListener('click', () => {
  setRunning(false);
  const steps = Math.max(1, Math.min(10000, Math.floor(Number($<HTMLInputElement>('control-steps').value) || 1)));
  worker.postMessage({ type: 'step', steps });
});
$<HTMLButtonElement>('reset').addEventListener('click', reset);
$<HTMLButtonElement>('download').addEventListener('click', () => worker.postMessage({ type: 'download', format: $<HTMLSelectElement>('download-format').value }));
$<HTMLSelectElement>('weight-layer').addEventListener('change', () => { if (last !== null) void show(last); });
applySettings(settings);

/** For scripts and tests: the settings, the last snapshot, and the rows each plot draws. */
(window as unknown as { deepwellPlayground: unknown }).deepwellPlayground = {
  settings: () => settings, snapshot: () => last, rows: plotRows, defaults: DEFAULTS,
};
