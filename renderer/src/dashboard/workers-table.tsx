import type { WorkerSnapshot } from '../../../shared/progress';
import { formatBytes, formatCount } from '../common/format';

/** One row per worker process of the pool. */
export function WorkersTable({ workers }: { workers: WorkerSnapshot[] }) {
  if (workers.length === 0) return <p className="empty">No worker processes are running.</p>;
  return (
    <table className="data workers">
      <caption>Workers</caption>
      <thead>
        <tr>
          <th scope="col">Worker</th>
          <th scope="col">PID</th>
          <th scope="col">State</th>
          <th scope="col" className="num">
            In flight
          </th>
          <th scope="col" className="num">
            Pages
          </th>
          <th scope="col" className="num">
            CPU %
          </th>
          <th scope="col" className="num">
            Memory
          </th>
          <th scope="col" className="num">
            Restarts
          </th>
        </tr>
      </thead>
      <tbody>
        {workers.map((worker) => (
          <tr key={worker.name} data-testid="worker-row">
            <th scope="row">{worker.name}</th>
            <td>{worker.pid ?? '–'}</td>
            <td>
              <span className={`badge state-${worker.state}`}>{worker.state}</span>
            </td>
            <td className="num">{worker.inFlight}</td>
            <td className="num">{formatCount(worker.pagesDone)}</td>
            <td className="num">{worker.cpuPercent.toFixed(0)}</td>
            <td className="num">{formatBytes(worker.rssBytes)}</td>
            <td className="num">{worker.restarts}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
