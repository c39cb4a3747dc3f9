import { download, downloadUrl } from './download';

describe('download', () => {
  it('clicks a temporary link to the url, named, and removes it', () => {
    const clicked: { href: string; name: string; inPage: boolean }[] = [];
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function (this: HTMLAnchorElement) {
        clicked.push({
          href: this.href,
          name: this.download,
          inPage: document.body.contains(this)
        });
      });
    downloadUrl('data:text/csv,a', 'runs.csv');
    expect(clicked).toEqual([
      { href: 'data:text/csv,a', name: 'runs.csv', inPage: true }
    ]);
    expect(document.querySelectorAll('a').length).toBe(0);
    click.mockRestore();
  });

  it('saves a blob through an object URL, revoked later', () => {
    jest.useFakeTimers();
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => undefined);
    const created = jest.fn(() => 'blob:1');
    const revoked = jest.fn();
    Object.assign(URL, { createObjectURL: created, revokeObjectURL: revoked });
    download(new Blob(['a']), 'plot.csv');
    expect(created).toHaveBeenCalledTimes(1);
    expect(click).toHaveBeenCalledTimes(1);
    expect(revoked).not.toHaveBeenCalled(); // the download still reads it
    jest.advanceTimersByTime(60_000);
    expect(revoked).toHaveBeenCalledWith('blob:1');
    click.mockRestore();
    jest.useRealTimers();
  });
});
