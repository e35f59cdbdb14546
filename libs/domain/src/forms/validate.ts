import type { FieldViolation } from "../errors.js";
import { validateApplicationForm, type ApplicationForm, type ApplicationFormContext } from "./application-form.js";
import { validateClubRegistrationForm, type ClubRegistrationForm } from "./club-registration-form.js";
import { validateRegionalContactForm, type RegionalContactForm } from "./regional-contact-form.js";
import type { FormMode } from "./rules.js";

export type FormInput =
  | { kind: "REGIONAL_CONTACT"; data: RegionalContactForm }
  | { kind: "CLUB_REGISTRATION"; data: ClubRegistrationForm }
  | { kind: "APPLICATION"; data: ApplicationForm; context: ApplicationFormContext };

function validate(input: FormInput, mode: FormMode): FieldViolation[] {
  switch (input.kind) {
    case "REGIONAL_CONTACT":
      return validateRegionalContactForm(input.data, mode);
    case "CLUB_REGISTRATION":
      return validateClubRegistrationForm(input.data, mode);
    case "APPLICATION":
      return validateApplicationForm(input.data, mode, input.context);
  }
}

/** A draft may be incomplete: only the formats and sizes of what is present are checked. */
export function validateDraft(input: FormInput): FieldViolation[] {
  return validate(input, "draft");
}

/** Submission needs everything, in the right format, within the size rules. */
export function validateForSubmit(input: FormInput): FieldViolation[] {
  return validate(input, "submit");
}
