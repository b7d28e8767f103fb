// The förskrivarkod check, in one place for the config, the HTTP request and the overprint.
// Socialstyrelsen issues a 7-digit code built from a unique number and a check digit (its term bank,
// "förskrivarkod"), but we could not find the check digit's algorithm published by Socialstyrelsen,
// Läkemedelsverket or E-hälsomyndigheten (searched 2026-11-30, twice; E-hälsomyndigheten's format
// checks for the national medication list give a check-digit rule for personnummer only; public
// group codes such as 9300005 fit Luhn over the first six digits, which is not an authority). So
// only the published format is checked: exactly 7 digits. docs/templates.md and
// docs/configuration.md say so. If the rule is published, add it here and test it with known valid
// and invalid codes.

/** Why a förskrivarkod is wrong (Swedish, for staff), or undefined when it has the published format. */
export function prescriberCodeProblem(code: string): string | undefined {
  return /^\d{7}$/.test(code) ? undefined : 'Förskrivarkoden ska vara 7 siffror.';
}
