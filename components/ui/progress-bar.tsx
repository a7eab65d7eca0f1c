/**
 * A job's bar: percent for assistive technology (valueText says "done of total" in words), a
 * coloured fill for everyone. `tone`: moving, finished or failed.
 */
export function ProgressBar({
  label,
  percent,
  valueText,
  tone,
}: {
  label: string;
  percent: number;
  valueText: string;
  tone: "moving" | "done" | "failed";
}) {
  const fill = tone === "failed" ? "bg-red-600" : tone === "done" ? "bg-green-600" : "bg-brand-600";
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-valuetext={valueText}
      className="h-3 w-full overflow-hidden rounded-full bg-slate-200"
    >
      <div className={`h-full rounded-full transition-[width] duration-300 ${fill}`} style={{ width: `${percent}%` }} />
    </div>
  );
}
