import * as echarts from 'echarts';

/**
 * Charts for the board report, drawn by ECharts' server-side renderer straight to SVG (no
 * browser, no canvas): the same SVG goes in the page and, through svg-to-pdfkit, the PDF.
 *
 * The SVG is made fit for an NHS.UK page:
 * - an accessible name and description (`role="img"`, `<title>`, `<desc>`), because a chart
 *   is an image (WCAG 1.1.1); the data table beside every chart is its full equivalent;
 * - no inline `style` attributes or `<style>` element, which the pages' Content Security
 *   Policy refuses: styles become SVG presentation attributes, and the hover styles (useless
 *   without script) are dropped;
 * - ids prefixed with the chart's own id, so two charts on a page never share one;
 * - series told apart by a hatched pattern as well as colour (WCAG 1.4.1).
 * Values that are suppressed are left out of the chart (`null`) and named in its note.
 */

/** NHS identity colours: blue for this period, mid grey (hatched) for the comparison. */
const COLOURS = ['#005eb8', '#768692'];
const TEXT = '#212b32';
const FONT = 'Arial, Helvetica, sans-serif';
/** Text size in SVG units: about 14px once the chart is scaled to a page column, 11pt in the PDF. */
const SIZE = 14;

/** A drawn chart: the SVG markup and its size in user units. */
/**
 * A drawn chart. `narrow`: drawn 420 units wide with larger text to stay legible on a phone;
 * pages show it no wider than about 470 pixels (app.css, `app-report-chart--narrow`).
 */
export type ChartSvg = { svg: string; width: number; height: number; narrow: boolean };

/** A value axis's unit: how labels read. */
export type ChartUnit = 'count' | 'percent' | 'days' | 'rate';

const number = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });
const oneDecimal = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
/**
 * Axis and bar labels read as the tables do: "38%", "9 days", rates with one decimal ("12.0"),
 * counts whole. Only a count is ever a bare whole number, so a reader (or a test) can tell a
 * count from any other figure.
 */
const labelOf = (unit: ChartUnit) => (value: number) => {
  switch (unit) {
    case 'percent':
      return `${number.format(value)}%`;
    case 'days':
      return `${number.format(value)} ${value === 1 ? 'day' : 'days'}`;
    case 'rate':
      return oneDecimal.format(value);
    case 'count':
      return number.format(value);
  }
};

/**
 * The value axis: from 0, to `max` when given. For counts, ticks at least 10 apart, so no tick
 * reads as a small count (1 to 7) that disclosure control would have hidden.
 */
const valueAxis = (
  unit: ChartUnit,
  max: number | undefined,
  format: (value: number) => string,
  size = SIZE,
) => ({
  type: 'value',
  min: 0,
  max,
  minInterval: unit === 'count' ? 10 : undefined,
  axisLabel: { color: TEXT, fontSize: size, formatter: format },
  splitLine: { lineStyle: { color: '#d8dde0' } },
});

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Renders an ECharts option to SVG server-side, then makes the SVG fit for the page (see above). */
function render(
  id: string,
  title: string,
  description: string,
  width: number,
  height: number,
  option: echarts.EChartsCoreOption,
  narrow: boolean,
): ChartSvg {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  let svg: string;
  try {
    chart.setOption(option);
    svg = chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
  return { svg: tidySvg(svg, id, title, description), width, height, narrow };
}

/**
 * Makes ECharts' SVG safe for a strict Content Security Policy and accessible: see the module
 * comment. Exported for its unit test.
 */
export function tidySvg(svg: string, id: string, title: string, description: string): string {
  const prefix = id.replace(/[^a-zA-Z0-9_-]/g, '');
  return (
    svg
      .replace(/<style[\s\S]*?<\/style>/g, '')
      .replace(/ style="([^"]*)"/g, (_all, style: string) =>
        style
          .split(';')
          .map((rule) => rule.trim())
          .filter((rule) => rule.includes(':'))
          .map((rule) => {
            const [name, ...value] = rule.split(':');
            return ` ${(name ?? '').trim()}="${value.join(':').trim()}"`;
          })
          .join(''),
      )
      .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
      .replace(/ class="zr\d+-cls-\d+"/g, '')
      .replace(/zr\d+-/g, `${prefix}-`)
      // The root: an image with a name and description, not a focus stop of its own.
      .replace(
        /^<svg ([^>]*)>/,
        (_all, attributes: string) =>
          // No fixed width or height: the viewBox scales to the page's column and to the PDF's box.
          `<svg ${attributes.replace(/(^|\s)(width|height)="[^"]*"/g, '').trim()} role="img" focusable="false" aria-labelledby="${prefix}-title ${prefix}-desc">` +
          `<title id="${prefix}-title">${escapeXml(title)}</title>` +
          `<desc id="${prefix}-desc">${escapeXml(description)}</desc>`,
      )
  );
}

/** One series of a bar chart: a value per category, or null where it is not shown. */
export type BarSeries = { name: string; values: Array<number | null> };

/** A dashed line across the bars at one value, labelled at its top: "All staff: 184.7". */
export type ReferenceLine = { value: number; label: string };

/**
 * How a bar chart is laid out:
 * - `wide`: each name beside its bars, 640 units wide, for a two-thirds page column and the PDF;
 * - `narrow`: each name above its bar, 420 units wide with larger text, for a chart that must
 *   stay legible on a phone. The page shows it no wider than about 470 pixels (app.css), so its
 *   text is about 17px on a desktop and 13px on a 360px phone.
 */
export type BarLayout = 'wide' | 'narrow';

/**
 * Where ECharts ends a value axis from 0 that shows `value` in about `splits` intervals: the
 * interval a round number (1, 2, 3 or 5 times a power of ten), the end the first multiple of it
 * at or above `value`. 184.7 in 4 → 200; 203.4 in 4 → 250.
 */
function axisEnd(value: number, splits: number): number {
  if (value <= 0) return 0;
  const rough = value / splits;
  const power = 10 ** Math.floor(Math.log10(rough));
  const f = rough / power;
  const step = (f < 1.5 ? 1 : f < 2.5 ? 2 : f < 4 ? 3 : f < 7 ? 5 : 10) * power;
  return Number((Math.ceil(value / step) * step).toPrecision(12));
}

/** Text in the background colour drawn around a name, so a line crossing it leaves it legible. */
const HALO = { textBorderColor: '#fff', textBorderWidth: 4 };
/** A value on a box of the background colour, so the reference line never runs through it. */
const BOX = { backgroundColor: '#fff', padding: [1, 2] };

/**
 * Horizontal bars, one row per category (long names such as staff groups read across),
 * one bar per series, each labelled with its value; optionally a reference line (ECharts
 * `markLine`) such as the rate for all staff, so a reader sees at once which bars fall short.
 */
export function barChart(spec: {
  id: string;
  title: string;
  description: string;
  categories: string[];
  series: BarSeries[];
  unit: ChartUnit;
  /** The top of the value axis (100 for percentages); automatic when absent. */
  max?: number;
  reference?: ReferenceLine;
  /**
   * A path drawn across the rows as a dashed line with square markers, such as the straight
   * path from a baseline to a target; in the legend beside the bars.
   */
  line?: { name: string; values: number[] };
  /** `wide` when absent. */
  layout?: BarLayout;
}): ChartSvg {
  const narrow = spec.layout === 'narrow';
  const width = narrow ? 420 : 640;
  const size = narrow ? 16 : SIZE;
  const legend = spec.series.length > 1 || spec.line !== undefined;
  // Above the bars: the legend, or room for the reference line's label (or a little air).
  const top = legend ? 40 : spec.reference ? 30 : 8;
  const barWidth = 18;
  // Narrow: the name (a line of text) sits over its bar, and the bar in the middle of its row,
  // so a row is the bar with a line of text either side; the space under one bar and over the
  // next name keeps rows apart.
  const lineHeight = size + 2;
  const rowHeight = narrow
    ? spec.series.length * (barWidth + 2) + 2 * (lineHeight + 4)
    : 14 + spec.series.length * 20;
  const height = top + 4 + spec.categories.length * rowHeight + 36;
  const format = labelOf(spec.unit);
  const textStyle = { fontFamily: FONT, fontSize: size, color: TEXT };
  // Narrow: about four intervals, so the axis's labels ("120.0") never run together on a phone.
  const splits = narrow ? 4 : 5;
  const highest = Math.max(
    0,
    ...spec.series.flatMap((s) => s.values.map((v) => v ?? 0)),
    ...(spec.line?.values ?? []),
  );
  // The axis reaches the reference line even when every bar falls short of it.
  const max =
    spec.max ??
    (spec.reference && spec.reference.value > highest ? axisEnd(spec.reference.value, splits) : undefined);
  // The reference line's label reads across the top of the line; near either end of the axis it
  // is set to one side of the line, so it never runs off the chart.
  const end = max ?? axisEnd(highest, splits);
  const at = spec.reference && end > 0 ? spec.reference.value / end : 0.5;
  return render(
    spec.id,
    spec.title,
    spec.description,
    width,
    height,
    {
      animation: false,
      textStyle,
      legend: legend ? { top: 0, left: 0, itemGap: 24, textStyle } : undefined,
      // Narrow: room at the left for half of the axis's first label ("0.0", "0 days"), which
      // nothing else leaves, as the names are inside the chart (a character is about 0.55 of
      // the text size wide).
      grid: {
        left: narrow ? Math.max(16, Math.ceil((format(0).length * size * 0.55) / 2) + 4) : 8,
        right: narrow ? 64 : 72,
        top,
        bottom: 8,
        containLabel: true,
      },
      xAxis: { ...valueAxis(spec.unit, max, format, size), splitNumber: splits },
      yAxis: {
        type: 'category',
        inverse: true,
        data: spec.categories,
        // Narrow: the names go inside the chart, over their bars, and in front of the reference line.
        z: narrow ? 6 : undefined,
        axisLabel: narrow
          ? {
              ...textStyle,
              ...HALO,
              inside: true,
              margin: 4,
              verticalAlign: 'bottom',
              lineHeight,
              padding: [0, 0, (spec.series.length * (barWidth + 2)) / 2 + 4, 0],
            }
          : { color: TEXT, fontSize: SIZE, width: 230, overflow: 'break', lineHeight: 15 },
        axisLine: { lineStyle: { color: '#4c6272' } },
        axisTick: { show: false },
      },
      series: [
        ...spec.series.map((s, i) => ({
          name: s.name,
          type: 'bar',
          barMaxWidth: barWidth,
          data: s.values.map((v) => (v === null ? '-' : v)),
          itemStyle: {
            color: COLOURS[i % COLOURS.length],
            decal: i === 0 ? undefined : HATCH,
          },
          label: {
            show: true,
            position: 'right',
            color: TEXT,
            fontSize: size,
            fontWeight: narrow ? 'bold' : undefined,
            ...(spec.reference ? BOX : {}),
            formatter: (p: { value: unknown }) => (typeof p.value === 'number' ? format(p.value) : ''),
          },
          // Behind the bars and their labels (z 2), in front of the grid lines (z 0).
          markLine:
            i === 0 && spec.reference
              ? {
                  silent: true,
                  z: 1,
                  symbol: 'none',
                  animation: false,
                  lineStyle: { color: TEXT, type: 'dashed', width: 2 },
                  label: {
                    show: true,
                    // The line runs down the chart (the categories are inverted), so its start is at the top.
                    position: 'start',
                    distance: 6,
                    color: TEXT,
                    fontSize: size - 1,
                    align: at < 0.25 ? 'left' : at > 0.75 ? 'right' : 'center',
                    formatter: spec.reference.label,
                  },
                  data: [{ xAxis: spec.reference.value }],
                }
              : undefined,
        })),
        ...(spec.line
          ? [
              {
                name: spec.line.name,
                type: 'line',
                data: spec.line.values,
                symbol: 'rect',
                symbolSize: 8,
                z: 3,
                lineStyle: { color: TEXT, type: 'dashed', width: 2 },
                itemStyle: { color: TEXT },
              },
            ]
          : []),
      ],
    },
    narrow,
  );
}

/** Diagonal white hatching: the second series differs by pattern as well as colour. */
const HATCH = {
  color: 'rgba(255, 255, 255, 0.6)',
  dashArrayX: [1, 0],
  dashArrayY: [3, 5],
  rotation: -Math.PI / 4,
};
