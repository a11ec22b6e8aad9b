/**
 * The architecture figure of the HTML report: the model's layers top to bottom (input first) as
 * boxes, each connection as an arrow; a connection that skips layers (a residual path, a branch into
 * a merge layer) is drawn as an arc to the right of the column, so skip connections stand out.
 *
 * Plain inline SVG (no script). The figure is `<figure class="architecture" data-layers=N
 * data-connections=C data-skips=S>`, each box a `rect.layer`, each arrow a `path.connection` or
 * `path.skip`, so a test or a script can count what was drawn.
 */

/** Escapes text for SVG/HTML content and attributes (kept here so this file stays browser-clean; report.ts touches the disk). */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** What the figure needs of a model: its layers in topological order and their connections. */
export interface ArchitectureGraph {
  layers: readonly { name: string; className: string }[];
  /** `[from, to]` indices into `layers`. */
  connections: readonly (readonly [number, number])[];
}

/** The graph of a model (`Sequential` or functional `Model`). */
export function architectureOf(model: { layers: readonly { name: string; className: string }[]; connections(): [number, number][] }): ArchitectureGraph {
  return { layers: model.layers.map((l) => ({ name: l.name, className: l.className })), connections: model.connections() };
}

const BOX_W = 260;
const BOX_H = 26;
const GAP = 18;
const LEFT = 10;
/** Horizontal room per nesting level of skip arcs. */
const ARC_STEP = 22;

/** The figure's HTML: an SVG of the layers and their connections, with a caption. */
export function architectureHtml(graph: ArchitectureGraph): string {
  const n = graph.layers.length;
  const y = (i: number): number => 10 + i * (BOX_H + GAP);
  const skips = graph.connections.filter(([a, b]) => b - a !== 1);
  // Longer arcs further out, so nested residual paths do not overlap.
  const spans = [...new Set(skips.map(([a, b]) => b - a))].sort((p, q) => p - q);
  const width = LEFT + BOX_W + 20 + ARC_STEP * (spans.length + 1);
  const height = y(n) + 4;
  const parts: string[] = [];
  graph.connections.forEach(([a, b]) => {
    const x = LEFT + BOX_W / 2;
    if (b - a === 1) {
      parts.push(`<path class="connection" d="M${x},${y(a) + BOX_H} L${x},${y(b) - 2}" stroke="#555" fill="none" marker-end="url(#arrow)"/>`);
    } else {
      const right = LEFT + BOX_W;
      const out = right + ARC_STEP * (spans.indexOf(b - a) + 1);
      const y0 = y(a) + BOX_H / 2;
      const y1 = y(b) + BOX_H / 2;
      parts.push(`<path class="skip" data-from="${a}" data-to="${b}" d="M${right},${y0} C${out},${y0} ${out},${y1} ${right + 2},${y1}" stroke="#d62728" stroke-width="1.5" fill="none" marker-end="url(#arrow-skip)"/>`);
    }
  });
  graph.layers.forEach((l, i) => {
    const merge = ['Add', 'Concatenate', 'Multiply', 'Average', 'Subtract', 'Maximum', 'Minimum'].includes(l.className);
    parts.push(`<rect class="layer" x="${LEFT}" y="${y(i)}" width="${BOX_W}" height="${BOX_H}" rx="4" fill="${merge ? '#fde8e8' : '#eef3fb'}" stroke="#8899aa"/>`);
    parts.push(`<text x="${LEFT + 8}" y="${y(i) + 17}" font-size="12" font-family="system-ui, sans-serif">${escapeHtml(`${l.name} (${l.className})`)}</text>`);
  });
  const defs = '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#555"/></marker>' +
    '<marker id="arrow-skip" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#d62728"/></marker></defs>';
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="model architecture">${defs}${parts.join('')}</svg>`;
  const caption = skips.length > 0
    ? `The layers from input (top) to output, each arrow a connection. The ${skips.length} red arc(s) skip layers: residual paths and branches that merge again, which carry the gradient around the layers they skip.`
    : 'The layers from input (top) to output: a plain chain with no skip connection, so the gradient must pass through every layer on its way back.';
  return `<figure class="architecture" id="architecture" data-layers="${n}" data-connections="${graph.connections.length}" data-skips="${skips.length}">
<h3>Architecture</h3>
${svg}
<figcaption>${escapeHtml(caption)}</figcaption>
</figure>`;
}
