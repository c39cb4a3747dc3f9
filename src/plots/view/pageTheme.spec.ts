import { PageTheme } from './pageTheme';
import { plotThemeChanged } from './themeEvents';

describe('PageTheme', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    document.body.style.removeProperty('--jp-layout-color0');
  });

  it("reads the theme again once a change's CSS has had 50 ms to apply", () => {
    document.body.style.setProperty('--jp-layout-color0', '#111111');
    const changed = jest.fn();
    const theme = new PageTheme(changed);
    expect(theme.current.background).toBe('#111111');
    document.body.style.setProperty('--jp-layout-color0', '#222222');
    plotThemeChanged.emit();
    jest.advanceTimersByTime(49);
    expect(changed).not.toHaveBeenCalled();
    expect(theme.current.background).toBe('#111111');
    jest.advanceTimersByTime(1);
    expect(changed).toHaveBeenCalledTimes(1);
    expect(theme.current.background).toBe('#222222');
    theme.dispose();
  });

  it('follows no change once disposed', () => {
    const changed = jest.fn();
    new PageTheme(changed).dispose();
    plotThemeChanged.emit();
    jest.advanceTimersByTime(100);
    expect(changed).not.toHaveBeenCalled();
  });
});
