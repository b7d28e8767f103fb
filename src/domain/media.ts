// The size a PWG self-describing media name states ("iso_a4_210x297mm", "om_50x25mm_50x25mm",
// "na_letter_8.5x11in"): one reading for the test page's page size, the IPP media-col and matching
// label media alike.

/** Width and height in mm, or undefined when the name carries no size. */
export function mediaDimensionsMm(media: string): { width: number; height: number } | undefined {
  const m = /_(\d+(?:\.\d+)?)x(\d+(?:\.\d+)?)(mm|in)$/.exec(media);
  if (!m) return undefined;
  const f = m[3] === 'in' ? 25.4 : 1;
  return { width: Number(m[1]) * f, height: Number(m[2]) * f };
}
