/** Demo accounts (seeded; README lists them), one per role. */
export const DEMO = {
  TEACHER: "ra_teacher1",
  SCHOOL_ADMIN: "ra_school_admin",
  COUNTY_REVIEWER: "ra_county",
  CITY_REVIEWER: "wz_city",
  PROVINCE_ADMIN: "prov_admin",
  EXPERT: "expert_hz",
} as const;

export const DEMO_PASSWORD = "Demo@2023";
