/**
 * The playground page: the controls (settings in the URL), the worker that trains, and the live
 * views. Every control, the verdict, the step counter and each plot carry a `data-testid`.
 */
import type { Snapshot } from './trainer.js';
import { plotRows, updatePlot } from './plots.js';
import { DEFAULTS, type DroppedSetting, PRESETS, SETTING_SPECS, type Settings, checkSetting, matchingPreset, parseQuery, toQuery } from './settings.js';

/** The preset select's entry when the settings match no preset. */
const CUSTOM = 'custom';

const $ = <T extends HTMLElement>(testid: string): T => document.querySelector(`[data-testid="${testid}"]`) as T;

const initial = parseQuery(location.search);
let settings: Settings = initial.settings;
let running = false;
let curve: Snapshot['curve'][] = [];
let last: Snapshot | null = null;
const worker = new Worker(new URL('worker.js', import.meta.url), { type: 'module' });

function buildControls(): void {
  const form = $<HTMLFormElement>('controls');
  for (const f of SETTING_SPECS) {
    const id = `control-${f.key}`;
    const row = document.createElement('div');
    row.className = f.kind === 'flag' ? 'row check' : 'row';
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = f.label;
    let input: HTMLInputElement | HTMLSelectElement;
    if (f.kind === 'choice') {
      input = document.createElement('select');
      for (const o of f.choices) input.append(new Option(f.optionLabels?.[o] ?? o, o));
    } else {
      input = document.createElement('input');
      input.type = f.kind === 'flag' ? 'checkbox' : 'number';
      if (f.kind === 'number') {
        input.step = f.step;
        input.min = String(f.min);
        input.max = String(f.max);
      }
    }
    input.id = id;
    input.name = f.key;
    input.dataset.testid = id;
    // The message next to the control when what is typed is not valid (see showInvalid).
    const error = document.createElement('p');
    error.className = 'error';
    error.id = `${id}-error`;
    error.dataset.testid = `${id}-error`;
    error.hidden = true;
    input.addEventListener('change', () => {
      const raw = input instanceof HTMLInputElement && input.type === 'checkbox' ? String(input.checked) : input.value;
      // The URL's validation (the one table of limits, SETTING_SPECS) applies to what is typed too.
      const checked = checkSetting(f, raw);
      if ('expected' in checked) {
        showInvalid(f.key, f.label, raw, checked.expected);
        return;
      }
      applySettings({ ...settings, [f.key]: checked.value });
    });
    if (f.kind === 'flag') row.append(input, label, error);
    else row.append(label, input, error);
    form.append(row);
  }
  const presets = $<HTMLSelectElement>('preset');
  presets.append(new Option('custom (no preset)', CUSTOM));
  for (const [key, p] of Object.entries(PRESETS)) presets.append(new Option(p.label, key));
  $<HTMLButtonElement>('load-preset').addEventListener('click', () => {
    const p = PRESETS[presets.value];
    if (p === undefined) return;
    applySettings({ ...settings, ...p.settings });
  });
}

/**
 * A value typed into a control that is not valid: the control keeps its value, and says so next to
 * it (received, the allowed range, the value kept), is marked aria-invalid and the live region
 * announces the message.
 */
function showInvalid(key: keyof Settings, label: string, raw: string, expected: string): void {
  const id = `control-${key}`;
  const input = $<HTMLInputElement>(id);
  const kept = String(settings[key]);
  const text = `${label}: received ${raw.trim() === '' ? 'no number' : `'${raw}'`}, expected ${expected}; it keeps ${kept}.`;
  input.value = kept;
  input.setAttribute('aria-invalid', 'true');
  input.setAttribute('aria-describedby', `${id}-error`);
  const error = $(`${id}-error`);
  error.textContent = text;
  error.hidden = false;
  $('control-announce').textContent = text;
}

/** Clears the invalid-value messages (a valid value was applied). */
function clearInvalid(): void {
  for (const f of SETTING_SPECS) {
    const input = $(`control-${f.key}`);
    input.removeAttribute('aria-invalid');
    input.removeAttribute('aria-describedby');
    const error = $(`control-${f.key}-error`);
    error.textContent = '';
    error.hidden = true;
  }
}

/** The preset menu names the preset the settings match, else "custom" (a control changed after loading one). */
function showPreset(): void {
  const name = matchingPreset(settings);
  $<HTMLSelectElement>('preset').value = name ?? CUSTOM;
  $('preset-note').textContent = name !== undefined ? PRESETS[name].note : 'Custom settings: no preset has all of them.';
}

/** The URL's values that were not used: a polite notice listing each, with what was expected. */
function showDropped(dropped: readonly DroppedSetting[]): void {
  const notice = $('url-notice');
  notice.hidden = dropped.length === 0;
  if (dropped.length === 0) return;
  const items = dropped.map((d) => {
    const li = document.createElement('li');
    const kept = d.setting !== undefined ? ` ${d.label} keeps its default, ${String(DEFAULTS[d.setting])}.` : ' It is ignored.';
    li.textContent = `${d.key}=${d.received}: expected ${d.expected}.${d.suggestion !== undefined ? ` Did you mean ${d.suggestion}?` : ''}${kept}`;
    return li;
  });
  $('url-notice-list').replaceChildren(...items);
}

function showSettings(): void {
  showPreset();
  clearInvalid();
  for (const f of SETTING_SPECS) {
    const input = $<HTMLInputElement | HTMLSelectElement>(`control-${f.key}`);
    if (f.kind === 'flag') (input as HTMLInputElement).checked = settings[f.key] as boolean;
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
  // The page's network replaces an opened model.
  $('model-summary').hidden = true;
  $('open-message').textContent = '';
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
  $('scaling').textContent = s.scaling;
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
  const m = event.data as { type: 'snapshot'; snapshot: Snapshot } | { type: 'files'; files: { name: string; bytes: Uint8Array }[] } | { type: 'error'; message: string }
    | { type: 'opened'; name: string; summary: string; params: number; fits: boolean; message: string };
  if (m.type === 'snapshot') {
    record(m.snapshot);
    waiting = m.snapshot;
    void drawLatest();
  } else if (m.type === 'opened') {
    const message = $('open-message');
    message.textContent = m.message;
    message.dataset.ok = String(m.fits);
    $('model-summary').hidden = m.summary === '';
    $('model-summary-name').textContent = m.name;
    $('model-summary-params').textContent = String(m.params);
    $('model-summary-text').textContent = m.summary;
    setStatus(m.fits ? 'Ready.' : running ? 'Training…' : 'Ready.');
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

/** Sends a model file (Files, or an absolute URL) to the worker, which loads it with loadModel. */
function openModel(source: File[] | string, name: string): void {
  setRunning(false);
  const message = $('open-message');
  message.textContent = `Opening ${name}…`;
  delete message.dataset.ok;
  worker.postMessage({ type: 'open', source, name, settings });
}
const openFiles = $<HTMLInputElement>('open-files');
openFiles.addEventListener('change', () => {
  const files = Array.from(openFiles.files ?? []);
  // Cleared, so that choosing the same file again (after changing Input scaling) opens it again.
  openFiles.value = '';
  if (files.length > 0) openModel(files, files.map((f) => f.name).join(' + '));
});
const openUrl = $<HTMLInputElement>('open-url');
const loadUrl = (): void => {
  const typed = openUrl.value.trim();
  let url: string | null = null;
  try {
    url = typed === '' ? null : new URL(typed, location.href).href;
  } catch {
    url = null;
  }
  if (url === null) {
    const message = $('open-message');
    message.textContent = `Type the model's URL first (received '${typed}'): http(s)://host/path/model.json, or a path relative to this page.`;
    message.dataset.ok = 'false';
    return;
  }
  // Resolved here: a relative URL is relative to the page, not to the worker's script.
  openModel(url, typed);
};
$<HTMLButtonElement>('open-url-load').addEventListener('click', loadUrl);
openUrl.addEventListener('keydown', (e) => { if (e.key === 'Enter') loadUrl(); });
$<HTMLButtonElement>('url-notice-close').addEventListener('click', () => { $('url-notice').hidden = true; });
showDropped(initial.dropped);
applySettings(settings);

/** For scripts and tests: the settings, the last snapshot, and the rows each plot draws. */
(window as unknown as { deepwellPlayground: unknown }).deepwellPlayground = {
  settings: () => settings, snapshot: () => last, rows: plotRows, defaults: DEFAULTS,
};
