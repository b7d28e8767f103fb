// What a receipt says about a fee kind: whether it counts toward högkostnadsskyddet and its VAT.
// Only some fees count (visits do; no-show fees and certificates do not), and most care is
// VAT-exempt while e.g. a driving-licence certificate carries 25 %: each kind's fixed text is
// written here once, from the kind's config, so no receipt claims what is not true of its fee.
export interface FeeKind {
  name: string;
  highCostProtection: boolean;
  vatPercent: number;
}

/** "Besök – ingår i högkostnadsskyddet · momsfri" */
export function feeKindText(f: FeeKind): string {
  const hk = f.highCostProtection ? 'ingår i högkostnadsskyddet' : 'ingår ej i högkostnadsskyddet';
  const vat = f.vatPercent === 0 ? 'momsfri' : `inkl. moms ${f.vatPercent} %`;
  return `${f.name} – ${hk} · ${vat}`;
}
