import {
  drawSketch,
  ISketchLayout,
  LEGEND_TOP,
  legendPlaces,
  sketchable,
  SketchContext,
  yRange
} from './plotSketch';

/** Every text 6 px a character. */
const width = (text: string) => 6 * text.length;

function line(name: string, ys: number[], extra: object = {}) {
  return {
    name,
    legendgroup: name,
    showlegend: true,
    x: ys.map((_, i) => i * 10),
    y: ys,
    meta: { drawn: { mode: 'lines', line: { color: '#123456', width: 1 } } },
    ...extra
  };
}

const LAYOUT: ISketchLayout = {
  width: 400,
  height: 250,
  margin: { l: 46, r: 12, t: LEGEND_TOP, b: 26 },
  paper_bgcolor: '#ffffff',
  font: { family: 'sans-serif', color: '#222' },
  title: { text: 'loss' },
  showlegend: true,
  xaxis: {
    range: [0, 40],
    tickvals: [0, 20, 40, 60],
    ticktext: ['0', '20', '40', '60']
  },
  yaxis: { autorange: true, tickvals: [1, 2, 3], ticktext: ['1', '2', '3'] }
};

describe('yRange', () => {
  it("pads the shown traces' span as plotly's autorange does", () => {
    // plotly: 5 % of the axis length at each end, so 1/18 of the span.
    const [lo, hi] = yRange(LAYOUT, [line('a', [1, 2]), line('b', [3, 1])])!;
    expect(lo).toBeCloseTo(1 - 2 / 18, 12);
    expect(hi).toBeCloseTo(3 + 2 / 18, 12);
  });

  it('leaves out hidden traces, and keeps a given range', () => {
    const traces = [
      line('a', [1, 2]),
      line('b', [0, 9], { visible: 'legendonly' })
    ];
    expect(yRange(LAYOUT, traces)![1]).toBeCloseTo(2 + 1 / 18, 12);
    const given = {
      ...LAYOUT,
      yaxis: { ...LAYOUT.yaxis, autorange: false, range: [0, 100] }
    };
    expect(yRange(given, traces)).toEqual([0, 100]);
  });

  it('has none for a flat or empty plot (plotly would pick its own)', () => {
    expect(yRange(LAYOUT, [line('a', [2, 2])])).toBeUndefined();
    expect(yRange(LAYOUT, [line('a', [NaN])])).toBeUndefined();
  });
});

describe('legendPlaces', () => {
  it("lays items out as plotly's horizontal legend: sample, text, gap", () => {
    expect(legendPlaces(['a', 'bb'], width)).toEqual({
      lefts: [0, 40 + 6 + 5],
      width: 40 + 6 + 5 + 40 + 12 + 5
    });
  });
});

describe('sketchable', () => {
  const traces = [line('a', [1, 2, 3]), line('b', [2, 3, 1])];

  it('holds for one linear axis with given ticks and a one-row legend', () => {
    expect(sketchable(LAYOUT, traces, width)).toBe(true);
  });

  it('leaves to plotly what the sketch would place differently', () => {
    const cases: [string, ISketchLayout, object[]][] = [
      ['log y', { ...LAYOUT, yaxis: { ...LAYOUT.yaxis, type: 'log' } }, traces],
      ['stacked axes', { ...LAYOUT, yaxis2: {} }, traces],
      ['marks', { ...LAYOUT, shapes: [{}] }, traces],
      ['no y ticks', { ...LAYOUT, yaxis: { autorange: true } }, traces],
      [
        'legend margin not given',
        { ...LAYOUT, margin: { ...LAYOUT.margin, t: 32 } },
        traces
      ],
      [
        'markers (plotly draws them)',
        LAYOUT,
        [...traces, { x: [1], y: [1], mode: 'markers' }]
      ],
      [
        'two items of one legend group',
        LAYOUT,
        [line('a', [1, 2]), line('b', [1, 3], { legendgroup: 'a' })]
      ],
      ['a legend wider than the plot', LAYOUT, [line('x'.repeat(60), [1, 2])]],
      ['a flat plot', LAYOUT, [line('a', [1, 1])]],
      ['markup plotly renders (a tag)', LAYOUT, [line('<b>a</b>', [1, 2])]],
      [
        'an entity in the title',
        { ...LAYOUT, title: { text: 'a &amp; b' } },
        traces
      ]
    ];
    for (const [what, layout, given] of cases) {
      expect([what, sketchable(layout, given as any, width)]).toEqual([
        what,
        false
      ]);
    }
  });

  it('needs no legend room when the legend is off', () => {
    const layout = {
      ...LAYOUT,
      showlegend: false,
      margin: { ...LAYOUT.margin, t: 32 }
    };
    expect(sketchable(layout, [line('x'.repeat(60), [1, 2])], width)).toBe(
      true
    );
  });
});

/** A context that records the text drawn and the lines stroked. */
function recorder() {
  const texts: { text: string; x: number; y: number; align: string }[] = [];
  const strokes: number[][][] = [];
  let path: number[][] = [];
  const context = {
    font: '',
    textAlign: 'left',
    textBaseline: 'alphabetic',
    strokeStyle: '',
    fillStyle: '',
    lineWidth: 1,
    lineJoin: 'miter',
    globalAlpha: 1,
    save() {},
    restore() {},
    beginPath() {
      path = [];
    },
    rect() {},
    clip() {},
    moveTo(x: number, y: number) {
      path.push([x, y]);
    },
    lineTo(x: number, y: number) {
      path.push([x, y]);
    },
    closePath() {},
    stroke() {
      strokes.push(path);
    },
    fill() {},
    setLineDash() {},
    fillRect() {},
    fillText(text: string, x: number, y: number) {
      texts.push({ text, x, y, align: context.textAlign });
    },
    measureText: (text: string) => ({ width: width(text) })
  };
  return { context: context as unknown as SketchContext, texts, strokes };
}

describe('drawSketch', () => {
  it('draws the title, legend, tick labels in range and the lines where plotly does', () => {
    const { context, texts, strokes } = recorder();
    const traces = [line('a', [1, 2, 3, 2, 1]), line('b', [3, 2, 1, 2, 3])];
    drawSketch(context, LAYOUT, traces);
    const text = (t: string) => texts.find(e => e.text === t)!;
    // The title at 1 % of the width, its baseline 0.7 em under 2 % of the height.
    expect(text('loss').x).toBe(4);
    expect(text('loss').y).toBeCloseTo(5 + 8.4, 9);
    // Tick 60 is out of the x range [0, 40]: no label, as plotly.
    expect(texts.map(t => t.text)).not.toContain('60');
    // x labels centred under their tick, 13 px under the plot area.
    const box = {
      left: 46,
      top: LEGEND_TOP,
      width: 400 - 46 - 12,
      height: 250 - LEGEND_TOP - 26
    };
    expect(text('20')).toMatchObject({
      x: box.left + box.width / 2,
      y: 250 - 26 + 13,
      align: 'center'
    });
    // y labels right-aligned 3 px left of the plot area, at their value.
    const [lo, hi] = yRange(LAYOUT, traces)!;
    const y2 = box.top + box.height - ((2 - lo) / (hi - lo)) * box.height;
    expect(text('2')).toMatchObject({ x: 43, y: y2 + 3.5, align: 'right' });
    // The legend ends at the plot area's right edge, the text 40 px into its item.
    const legendLeft = box.left + box.width - (51 + 51);
    expect(text('a').x).toBe(legendLeft + 40);
    expect(text('b').x).toBe(legendLeft + 51 + 40);
    // Trace a's line passes through its points.
    const a = strokes.find(s => s.length === 5 && s[0][0] === box.left)!;
    expect(a[2][0]).toBeCloseTo(box.left + box.width / 2, 9);
    expect(a[2][1]).toBeCloseTo(
      box.top + box.height - ((3 - lo) / (hi - lo)) * box.height,
      9
    );
  });
});
