import { eachInTurn } from './yieldToBrowser';

describe('eachInTurn', () => {
  const pace = () => Promise.resolve();

  it('works on every item in order, each after its turn', async () => {
    const seen: string[] = [];
    const results = await eachInTurn(
      ['a', 'b', 'c'],
      async () => {
        seen.push('turn');
      },
      () => false,
      async item => {
        seen.push(item);
        return item.toUpperCase();
      }
    );
    expect(results).toEqual(['A', 'B', 'C']);
    expect(seen).toEqual(['turn', 'a', 'turn', 'b', 'turn', 'c']);
  });

  it('starts nothing more once stopped, and gives no results', async () => {
    let closed = false;
    const worked: number[] = [];
    const results = await eachInTurn(
      [1, 2, 3, 4],
      pace,
      () => closed,
      async n => {
        worked.push(n);
        if (n === 2) {
          closed = true; // the view was run again while plot 2 was rendered
        }
        return n;
      }
    );
    expect(worked).toEqual([1, 2]);
    expect(results).toBeUndefined();
  });

  it('gives nothing when stopped before the first item', async () => {
    const work = jest.fn(async (n: number) => n);
    expect(await eachInTurn([1], pace, () => true, work)).toBeUndefined();
    expect(work).not.toHaveBeenCalled();
  });
});
