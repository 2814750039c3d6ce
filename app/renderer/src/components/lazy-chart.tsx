// The back office's charts, loaded on first use (store-chart.tsx carries ECharts in its own chunk).
import { lazy, Suspense } from 'react';
import type { ChartOption } from './store-chart';

const StoreChart = lazy(() => import('./store-chart'));

export type { ChartOption };

export function Chart(props: { option: ChartOption; testId: string; height?: number; loading: string }) {
  return (
    <Suspense fallback={<div className="store-chart muted">{props.loading}</div>}>
      <StoreChart option={props.option} testId={props.testId} {...(props.height ? { height: props.height } : {})} />
    </Suspense>
  );
}
