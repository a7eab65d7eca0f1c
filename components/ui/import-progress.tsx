// A file import's progress while a job checks its rows (the payment import's, the readings import's).
export function ImportProgress({ heading, label, status, percent }: { heading: string; label: string; status: string; percent: number }) {
  return (
    <section aria-labelledby="progress-heading" className="space-y-2 rounded-lg bg-white p-4 shadow-sm">
      <h2 id="progress-heading" className="font-semibold">
        {heading}
      </h2>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full rounded-full bg-brand-600 transition-[width] duration-300" style={{ width: `${percent}%` }} />
      </div>
      <p className="text-sm text-slate-700 tabular-nums" role="status">
        {status}
      </p>
    </section>
  );
}
