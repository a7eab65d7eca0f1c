/** People type " 45,5": the spaces around go (the API refuses them rather than guess) and the comma becomes a point. */
export function toDecimalInput(text: string): string {
  return text.trim().replace(",", ".");
}
