// plotly.js's basic bundle (scatter, bar, pie) ships no types; `IPlotly`
// (plotly.ts) types the few calls runwatch makes.
declare module 'plotly.js-basic-dist-min';
