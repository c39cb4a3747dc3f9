import { PlotChoice, PlotChoices } from './plotChoices';

/** The choices, and what each change said it was. */
function choices(smoothing = 0): [PlotChoices, PlotChoice[]] {
  const made = new PlotChoices(smoothing);
  const changes: PlotChoice[] = [];
  made.changed.connect((_, choice) => changes.push(choice));
  return [made, changes];
}

describe('PlotChoices', () => {
  it('starts with nothing hidden, every channel kept and the smoothing given', () => {
    const [made, changes] = choices(0.6);
    expect([...made.hidden]).toEqual([]);
    expect(made.filterText).toBe('');
    expect(made.channelFilter('anything')).toBe(true);
    expect(made.smoothing).toBe(0.6);
    expect(changes).toEqual([]);
  });

  it('hides a legend key, then shows it again', () => {
    const [made, changes] = choices();
    made.toggle('run-a');
    made.toggle('run-b');
    expect([...made.hidden]).toEqual(['run-a', 'run-b']);
    made.toggle('run-a');
    expect([...made.hidden]).toEqual(['run-b']);
    expect(changes).toEqual(['hidden', 'hidden', 'hidden']);
  });

  it('keeps the channels the search matches, as a word or a glob', () => {
    const [made, changes] = choices();
    made.filter('  loss ');
    expect(made.filterText).toBe('loss');
    expect(made.channelFilter('val_loss')).toBe(true);
    expect(made.channelFilter('lr')).toBe(false);
    made.filter('*.val');
    expect(made.channelFilter('loss.val')).toBe(true);
    expect(made.channelFilter('val_loss')).toBe(false);
    made.filter('');
    expect(made.channelFilter('lr')).toBe(true);
    expect(changes).toEqual(['filter', 'filter', 'filter']);
  });

  it('clamps the smoothing, and takes what is not a number as 0', () => {
    const [made, changes] = choices();
    made.smoothing = 0.5;
    expect(made.smoothing).toBe(0.5);
    made.smoothing = 2;
    expect(made.smoothing).toBe(0.999);
    made.smoothing = -1;
    expect(made.smoothing).toBe(0);
    made.smoothing = NaN;
    expect(made.smoothing).toBe(0);
    expect(changes).toEqual([
      'smoothing',
      'smoothing',
      'smoothing',
      'smoothing'
    ]);
  });
});
