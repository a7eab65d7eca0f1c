/** The height of a long list's rows that are not drawn (above or below the drawn ones). */
export function Spacer({ height, columns }: { height: number; columns: number }) {
  if (height <= 0) return null;
  return (
    <tbody aria-hidden="true" className="max-sm:block">
      <tr className="max-sm:block">
        <td colSpan={columns} className="p-0 max-sm:block" style={{ height }} />
      </tr>
    </tbody>
  );
}
