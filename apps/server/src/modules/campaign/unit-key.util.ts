/**
 * The key the domain rules use for a unit: its code (GB/T 2260 division code for province, city
 * and county; the school code for schools) or `#<id>` for a unit without a code. Campaign
 * configuration (quotas per city, a city's own deadlines) is keyed the same way.
 */
export function unitKey(u: { id: string | number; code: string | null }): string {
  return u.code ?? `#${u.id}`;
}
