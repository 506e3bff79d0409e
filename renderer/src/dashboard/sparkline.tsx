import type { RatePoint } from '../store/rate-history';

const WIDTH = 600;
const HEIGHT = 120;

/** Pages per second over this run (see nextRateHistory): a small SVG line chart with its peak labelled. */
export function Sparkline({ points }: { points: RatePoint[] }) {
  if (points.length < 2) {
    return <p className="empty">The chart appears after the first seconds of crawling.</p>;
  }
  const peak = Math.max(1, ...points.map((point) => point.pagesPerSecond));
  const first = points[0]!.at;
  const span = Math.max(1, points[points.length - 1]!.at - first);
  const path = points
    .map((point, index) => {
      const x = ((point.at - first) / span) * WIDTH;
      const y = HEIGHT - (point.pagesPerSecond / peak) * (HEIGHT - 10);
      return `${index === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  const latest = points[points.length - 1]!.pagesPerSecond;
  return (
    <figure className="sparkline">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Pages per second over this run's last ${Math.round(span / 1000)} seconds; now ${latest.toFixed(1)}, peak ${peak.toFixed(1)}`}
      >
        <path d={`${path} L${WIDTH},${HEIGHT} L0,${HEIGHT} Z`} className="area" />
        <path d={path} className="line" />
      </svg>
      <figcaption>
        pages/s · peak {peak.toFixed(1)} · this run&apos;s last {Math.round(span / 1000)} s
      </figcaption>
    </figure>
  );
}
