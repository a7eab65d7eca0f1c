import { ProgressBar } from "./progress-bar";

// A file import's progress while a job checks its rows (the payment import's, the readings import's).
export function ImportProgress({ heading, label, status, percent }: { heading: string; label: string; status: string; percent: number }) {
  return (
    <section aria-labelledby="progress-heading" className="space-y-2 rounded-lg bg-white p-4 shadow-sm">
      <h2 id="progress-heading" className="font-semibold">
        {heading}
      </h2>
      <ProgressBar label={label} percent={percent} valueText={status} tone="moving" />
      <p className="text-sm text-slate-700 tabular-nums" role="status">
        {status}
      </p>
    </section>
  );
}
