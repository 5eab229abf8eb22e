import type { AppliedPartType, ElectricalClass } from '@gmao/domain';

type Electrical = { electricalClass: ElectricalClass; appliedPartType: AppliedPartType };
const e = (electricalClass: ElectricalClass, appliedPartType: AppliedPartType): Electrical => ({ electricalClass, appliedPartType });

/**
 * The demo models' protection class and applied-part type, as their makers' manuals usually
 * state them: by category, then a few models that differ. Categories that are not
 * electrical (rigid optics, vacuum regulators, flowmeters, flexible endoscopes without their
 * processor) have none: their models' class stays unknown.
 */
const BY_CATEGORY: Record<string, Electrical> = {
  'VENT-REA': e('I', 'BF'), 'VENT-TRA': e('I', 'BF'), 'VENT-VNI': e('II', 'BF'), 'VENT-ANE': e('I', 'BF'), 'VENT-PPC': e('II', 'BF'),
  'PERF-POMPE': e('II', 'CF'), 'PERF-PSE': e('II', 'CF'), 'PERF-ENT': e('II', 'BF'), 'PERF-PCA': e('internal', 'CF'), 'PERF-RECH': e('I', 'BF'),
  'CARD-DEF': e('I', 'CF'), 'CARD-DAE': e('internal', 'BF'), 'CARD-ECG': e('I', 'CF'), 'CARD-HOL': e('internal', 'CF'), 'CARD-EFF': e('I', 'CF'),
  'CARD-STIM': e('internal', 'CF'),
  'MONI-MULTI': e('I', 'CF'), 'MONI-CENT': e('I', 'none'), 'MONI-SPO2': e('I', 'BF'), 'MONI-PNI': e('I', 'BF'), 'MONI-CAP': e('I', 'BF'),
  'MONI-FOET': e('I', 'BF'),
  'IMAG-ECHO': e('I', 'BF'), 'IMAG-MOB': e('I', 'B'), 'IMAG-RX': e('I', 'B'), 'IMAG-TDM': e('I', 'B'), 'IMAG-IRM': e('I', 'BF'),
  'IMAG-MAMMO': e('I', 'B'), 'IMAG-ARC': e('I', 'B'),
  'DIAL-GEN': e('I', 'CF'), 'DIAL-EAU': e('I', 'none'),
  'NEO-COUV': e('I', 'BF'), 'NEO-TABLE': e('I', 'BF'), 'NEO-PHOTO': e('I', 'B'),
  'BLOC-BIST': e('I', 'CF'), 'BLOC-TABLE': e('I', 'B'), 'BLOC-SCIA': e('I', 'none'), 'BLOC-ASP': e('II', 'BF'), 'BLOC-GARR': e('I', 'BF'),
  'BLOC-LASER': e('I', 'B'),
  'ENDO-LAV': e('I', 'none'), 'ENDO-VID': e('I', 'CF'),
  'LABO-BIOC': e('I', 'none'), 'LABO-HEMA': e('I', 'none'), 'LABO-GAZ': e('I', 'none'), 'LABO-CENT': e('I', 'none'), 'LABO-REFR': e('I', 'none'),
  'LABO-MICR': e('II', 'none'),
  'STER-AUTO': e('I', 'none'), 'STER-LAV': e('I', 'none'),
  'LITS-ELEC': e('I', 'B'), 'LITS-BRAN': e('I', 'B'), 'LITS-MATE': e('II', 'B'), 'LITS-LEVE': e('internal', 'B'),
  'REED-ELEC': e('internal', 'BF'), 'REED-US': e('I', 'BF'),
  'DIVE-THER': e('internal', 'BF'), 'DIVE-PESE': e('internal', 'B'), 'DIVE-OPHT': e('internal', 'B'), 'DIVE-ESPS': e('I', 'none'),
};

/** Models whose manual says otherwise than their category's usual. */
const BY_MODEL: Record<string, Electrical> = {
  'BD Alaris GP': e('I', 'CF'),
  'Schiller Defigard Touch 7': e('I', 'BF'),
  'Nonin 7500': e('II', 'BF'),
  'Hamilton Medical Hamilton-T1': e('I', 'CF'),
};

/** A demo model's electrical class and applied-part type; nulls where the device is not electrical. */
export function demoElectrical(categoryCode: string, manufacturer: string, modelName: string): { electricalClass: ElectricalClass | null; appliedPartType: AppliedPartType | null } {
  return BY_MODEL[`${manufacturer} ${modelName}`] ?? BY_CATEGORY[categoryCode] ?? { electricalClass: null, appliedPartType: null };
}
