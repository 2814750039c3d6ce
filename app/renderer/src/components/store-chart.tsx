// One chart of the back office, drawn by Apache ECharts (SVG renderer). This module is only ever
// loaded through React.lazy (see lazy-chart.tsx): ECharts is several hundred kB, and the till's
// first screen must not wait for or carry it — the bundler puts this file and ECharts in their
// own chunk, fetched when a manager first opens a report.
import { useEffect, useRef } from 'react';
import { init, use, type ComposeOption } from 'echarts/core';
import {
  BarChart,
  LineChart,
  PieChart,
  type BarSeriesOption,
  type LineSeriesOption,
  type PieSeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>;

export default function StoreChart({
  option,
  testId,
  height = 240,
}: {
  option: ChartOption;
  testId: string;
  height?: number;
}) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = init(el.current, undefined, { renderer: 'svg' });
    // No animation: a manager reads numbers, and the e2e test reads the drawn chart at once.
    chart.setOption({ animation: false, ...option });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [option]);
  return <div ref={el} className="store-chart" data-testid={testId} style={{ height }} />;
}
