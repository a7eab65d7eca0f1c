/** People type "45,5"; the API wants "45.5" (it refuses a comma rather than guess). */
export function toDecimalInput(text: string): string {
  return text.trim().replace(",", ".");
}
