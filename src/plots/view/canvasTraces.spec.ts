import {
  drawCanvasTraces,
  hairlineOffsets,
  ITraceAxes,
  lineSample,
  plotlyDash,
  svgTraces,
  toCanvasTraces,
  TraceContext
} from './canvasTraces';

/** A context that records its calls as text, and its style at each stroke. */
function recorder(): { context: TraceContext; calls: string[] } {
  const calls: string[] = [];
  const style = {
    strokeStyle: '',
    fillStyle: '',
    lineWidth: 1,
    lineJoin: 'miter' as CanvasLineJoin,
    globalAlpha: 1
  };
  let dash: number[] = [];
  const context = {
    ...style,
    save: () => calls.push('save'),
    restore: () => calls.push('restore'),
    beginPath: () => calls.push('begin'),
    rect: (x: number, y: number, w: number, h: number) =>
      calls.push(`rect ${x} ${y} ${w} ${h}`),
    clip: () => calls.push('clip'),
    moveTo: (x: number, y: number) => calls.push(`M ${x} ${y}`),
    lineTo: (x: number, y: number) => calls.push(`L ${x} ${y}`),
    closePath: () => calls.push('Z'),
    setLineDash: (d: number[]) => (dash = d),
    stroke: () =>
      calls.push(
        `stroke ${context.strokeStyle} ${context.lineWidth} [${dash}] ${context.globalAlpha}`
      ),
    fill: () => calls.push(`fill ${context.fillStyle}`)
  };
  return { context: context as unknown as TraceContext, calls };
}

/** x and y in pixels as given, in a 100 × 50 box at (10, 5). */
const identity: ITraceAxes = {
  x: v => v,
  y: v => v,
  box: { left: 10, top: 5, width: 100, height: 50 }
};

const line = {
  type: 'scatter',
  mode: 'lines',
  x: [1, 2, 3, 4],
  y: [5, NaN, 7, 8],
  line: { color: 'red', width: 2, dash: 'dot' },
  meta: { run: 'r' }
};

const band = {
  type: 'scatter',
  mode: 'lines',
  fill: 'toself',
  fillcolor: 'rgba(1,2,3,0.2)',
  line: { width: 0, color: 'blue' },
  hoverinfo: 'skip',
  x: [0, 1, 1, NaN, 2, 3, 3],
  y: [0, 0, 1, NaN, 2, 2, 3]
};

const markers = { type: 'scatter', mode: 'lines+markers', x: [1], y: [1] };

describe('toCanvasTraces', () => {
  it('hands plotly lines and bands in mode none, markers as they are', () => {
    const [l, b, m] = toCanvasTraces([line, band, markers]);
    expect(l.mode).toBe('none');
    expect(l.meta).toEqual({
      run: 'r',
      drawn: { mode: 'lines', line: line.line, opacity: undefined }
    });
    expect([b.mode, b.fill]).toEqual(['none', 'none']);
    expect(m).toBe(markers);
    // The same data: hover and ranges come from it.
    expect(l.x).toBe(line.x);
  });

  it('gives plotly its own drawing back for an image', () => {
    const back = svgTraces(toCanvasTraces([line, band, markers]));
    expect(back[0]).toEqual({ ...line, meta: { run: 'r' } });
    expect([back[1].mode, back[1].fill]).toEqual(['lines', 'toself']);
    expect(back[2]).toBe(markers);
  });
});

describe('drawCanvasTraces', () => {
  it('strokes a line clipped to its box, broken at NaN, in its dash', () => {
    const { context, calls } = recorder();
    drawCanvasTraces(
      context,
      toCanvasTraces([{ ...line, line: { ...line.line, width: 3 } }]),
      () => identity
    );
    expect(calls).toEqual([
      'save',
      'begin',
      'rect 10 5 100 50',
      'clip',
      'begin',
      'M 1 5',
      'M 3 7',
      'L 4 8',
      `stroke red 3 [${plotlyDash('dot', 3)}] 1`,
      'restore'
    ]);
  });

  it('strokes an opaque line up to 2 px wide as three hairlines spread across its width', () => {
    const { context, calls } = recorder();
    drawCanvasTraces(context, toCanvasTraces([line]), () => identity);
    const stroke = `stroke red 1 [${plotlyDash('dot', 2)}] 1`;
    expect(calls.slice(4)).toEqual([
      'begin',
      'M 0.5 4.5',
      'M 2.5 6.5',
      'L 3.5 7.5',
      stroke,
      'begin',
      'M 1.5 5.5',
      'M 3.5 7.5',
      'L 4.5 8.5',
      stroke,
      'begin',
      'M 1.5 4.5',
      'M 3.5 6.5',
      'L 4.5 7.5',
      stroke,
      'restore'
    ]);
  });

  it('strokes a translucent, hairline or wider line once, at its width', () => {
    expect(hairlineOffsets(1.75, 0.5)).toBeUndefined();
    expect(hairlineOffsets(1, 1)).toBeUndefined();
    expect(hairlineOffsets(2.5, 1)).toBeUndefined();
    expect(hairlineOffsets(1.75, 1, 'rgba(31,119,180,0.5)')).toBeUndefined();
    expect(hairlineOffsets(1.75, 1, '#1f77b480')).toBeUndefined();
    expect(hairlineOffsets(1.75, 1, '#1f77b4')).toHaveLength(3);
    expect(hairlineOffsets(1.75, 1)).toEqual([
      [-0.375, -0.375],
      [0.375, 0.375],
      [0.375, -0.375]
    ]);
  });

  it('fills each piece of a band without stroking a zero-width edge', () => {
    const { context, calls } = recorder();
    drawCanvasTraces(context, toCanvasTraces([band]), () => identity);
    expect(calls.slice(5)).toEqual([
      'M 0 0',
      'L 1 0',
      'L 1 1',
      'Z',
      'M 2 2',
      'L 3 2',
      'L 3 3',
      'Z',
      'fill rgba(1,2,3,0.2)',
      'restore'
    ]);
  });

  it('leaves out hidden traces, plotly-drawn ones and unplaced points', () => {
    const { context, calls } = recorder();
    const logAxis: ITraceAxes = {
      ...identity,
      y: v => (v > 0 ? Math.log10(v) : -Infinity)
    };
    drawCanvasTraces(
      context,
      [
        ...toCanvasTraces([{ ...line, visible: 'legendonly' }, markers]),
        ...toCanvasTraces([
          { ...line, y: [0, 10, 100, 1000], line: { color: 'red', width: 1 } }
        ])
      ],
      () => logAxis
    );
    expect(calls.filter(c => /^[ML] /.test(c))).toEqual([
      'M 2 1',
      'L 3 2',
      'L 4 3'
    ]);
  });

  it("uses plotly's dash lengths, which grow with the line", () => {
    expect(plotlyDash('solid', 2)).toEqual([]);
    expect(plotlyDash('dash', 2)).toEqual([9, 9]);
    expect(plotlyDash('dashdot', 4)).toEqual([12, 4, 4, 4]);
  });
});

describe('lineSample', () => {
  it("is plotly's legend sample in the line's style, no wider than 5 px", () => {
    expect(
      lineSample({
        line: { width: 8, color: '#123', dash: 'dot' },
        opacity: 0.4
      })
    ).toEqual({
      from: 5,
      length: 30,
      width: 5,
      colour: '#123',
      opacity: 0.4,
      dash: plotlyDash('dot', 5)
    });
    expect(lineSample({})).toMatchObject({
      width: 2,
      colour: '#444',
      opacity: 1,
      dash: []
    });
  });
});
