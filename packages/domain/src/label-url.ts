/** The URL printed in the QR code of our own equipment labels (read back by `parseScanCode`). */
export function labelUrl(origin: string, inventoryNumber: string): string {
  return `${origin.replace(/\/+$/, '')}/e/${encodeURIComponent(inventoryNumber)}`;
}
