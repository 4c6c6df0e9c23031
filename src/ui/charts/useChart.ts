import { type RefObject, useEffect, useRef } from 'react';
import { useStudio } from '../StudioProvider.tsx';
import { ChartController, type ChartOptions } from './ChartController.ts';
import { onFrame } from './frameLoop.ts';

/**
 * The two-effect pattern (codebase-style §4): one effect creates the controller and registers it
 * with the frame loop (and destroys both), the other hands it new options. Data never passes
 * through React: the frame loop pulls it from the live hub.
 */
export function useChart(
  ref: RefObject<HTMLDivElement | null>,
  options: ChartOptions,
): RefObject<ChartController | undefined> {
  const { liveHub } = useStudio();
  const ctl = useRef<ChartController | undefined>(undefined);
  const first = useRef(options);
  useEffect(() => {
    const c = new ChartController(ref.current!, liveHub, first.current);
    ctl.current = c;
    const off = onFrame((now) => c.frame(now));
    return () => {
      off();
      c.destroy();
      ctl.current = undefined;
    };
  }, [ref, liveHub]);
  useEffect(() => ctl.current?.update(options), [options]);
  return ctl;
}
