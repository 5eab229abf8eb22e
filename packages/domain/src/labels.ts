/**
 * The French and English labels of every coded value shown to people: in the web app
 * (its i18n catalogues take these sections as they are), the PDFs, the CSV and XLSX
 * exports and the API's messages. One home for each label: nothing else spells them.
 *
 * Labels are capitalised as they stand alone (a badge, a table cell); `inSentence()`
 * gives the form used inside a French sentence (« hors service »).
 */
import type { Criticality, DecommissionReason, EquipmentStatus, LegalInventoryFields, Ownership } from './equipment.js';
import type { AppliedPartType, ElectricalClass, LeakageMethod } from './iec62353.js';
import type { LocationLevel } from './locations.js';
import type { ObligationGround, ObligationKind, RiskClass } from './obligations.js';
import type { RoleName } from './policy.js';
import type { ChecklistOutcome, HoldReason, WorkOrderPriority, WorkOrderState, WorkOrderType } from './work-orders.js';
import type { PartUnit, StockMovementType } from './stock.js';

export type LabelLocale = 'fr' | 'en';

import type { Conformity, QualityControlKind } from './conformity.js';
import type { TransferState } from './stock-transfers.js';
import type { SkillCategory, SkillLevel } from './competency.js';

type MaintenanceMode = 'internal' | 'external_contract' | 'mixed';

export interface EnumLabels {
  roles: Record<RoleName, string>;
  locationKinds: Record<LocationLevel, string>;
  equipmentStatuses: Record<EquipmentStatus, string>;
  criticalities: Record<Criticality, string>;
  maintenanceModes: Record<MaintenanceMode, string>;
  ownerships: Record<Ownership, string>;
  riskClasses: Record<RiskClass, string>;
  /** Protection against electric shock (IEC 60601-1), IEC 62353's test depends on it. */
  electricalClasses: Record<ElectricalClass, string>;
  appliedPartTypes: Record<AppliedPartType, string>;
  /** Leakage current measurement methods of IEC 62353. */
  leakageMethods: Record<LeakageMethod, string>;
  /** Why a legal obligation of maintenance or quality control applies. */
  obligationGrounds: Record<ObligationGround, string>;
  obligationKinds: Record<ObligationKind, string>;
  decommissionReasons: Record<DecommissionReason, string>;
  /** The legal inventory fields of article R.5212-28 (lower case: they are listed in sentences). */
  legalFields: Record<keyof LegalInventoryFields, string>;
  workOrderStates: Record<WorkOrderState, string>;
  workOrderPriorities: Record<WorkOrderPriority, string>;
  workOrderTypes: Record<WorkOrderType, string>;
  /** The nature of an operation as the maintenance register names it. */
  workOrderNatures: Record<WorkOrderType, string>;
  holdReasons: Record<HoldReason, string>;
  /** The answer to one checklist item. */
  checklistOutcomes: Record<ChecklistOutcome, string>;
  /** The register's verdict on one operation (article R.5212-28: the result regarding conformity). */
  conformities: Record<Conformity, string>;
  /** Internal (CQI) or external (CQE, by an accredited body) quality control. */
  qualityControlKinds: Record<QualityControlKind, string>;
  /** The kinds of movement of the stock ledger. */
  stockMovementTypes: Record<StockMovementType, string>;
  /** The units a part is counted in (a quantity's unit: lower case). */
  partUnits: Record<PartUnit, string>;
  /** The state of a transfer of parts between sites. */
  transferStates: Record<TransferState, string>;
  /** A person's level in a skill (competency map). */
  skillLevels: Record<SkillLevel, string>;
  /** The groups of the skill catalogue. */
  skillCategories: Record<SkillCategory, string>;
}

const fr: EnumLabels = {
  roles: {
    territory_admin: 'Administrateur du territoire',
    site_manager: 'Responsable de site',
    engineer: 'Ingénieur biomédical',
    technician: 'Technicien biomédical',
    care_staff: 'Personnel soignant',
  },
  locationKinds: { building: 'Bâtiment', floor: 'Étage', care_unit: 'Unité de soins', room: 'Salle' },
  equipmentStatuses: {
    in_stock: 'En stock',
    in_service: 'En service',
    out_of_service: 'Hors service',
    under_maintenance: 'En maintenance',
    on_loan: 'En prêt',
    decommissioned: 'Réformé',
  },
  criticalities: { low: 'Faible', medium: 'Moyenne', high: 'Élevée', critical: 'Critique' },
  maintenanceModes: { internal: 'Interne', external_contract: 'Contrat externe', mixed: 'Mixte' },
  ownerships: {
    owned: 'Propriété de l’établissement',
    leased: 'Location',
    lent_by_site: 'Prêt d’un site du GHT',
    lent_by_vendor: 'Prêt d’un fournisseur',
  },
  riskClasses: {
    I: 'Classe I', IIa: 'Classe IIa', IIb: 'Classe IIb', III: 'Classe III',
    A: 'Classe A (DIV)', B: 'Classe B (DIV)', C: 'Classe C (DIV)', D: 'Classe D (DIV)',
  },
  obligationGrounds: { ionising_radiation: 'Émet des rayonnements ionisants', risk_class: 'Classe IIb ou III' },
  obligationKinds: { maintenance: 'Maintenance', qualityControl: 'Contrôle qualité' },
  electricalClasses: { I: 'Classe I (terre de protection)', II: 'Classe II (double isolation)', internal: 'Alimentation interne' },
  appliedPartTypes: { none: 'Aucune partie appliquée', B: 'Type B', BF: 'Type BF', CF: 'Type CF' },
  leakageMethods: { direct: 'Méthode directe', differential: 'Méthode différentielle', alternative: 'Méthode alternative' },
  decommissionReasons: {
    scrap: 'Mise au rebut',
    resale: 'Revente',
    donation: 'Don',
    parts_harvesting: 'Récupération de pièces',
    returned_to_lessor: 'Restitution au loueur',
  },
  legalFields: {
    modelId: 'modèle (dénominations commune et commerciale, fabricant)',
    supplier: 'fournisseur',
    serialNumber: 'numéro de série',
    locationId: 'localisation',
    commissioningDate: 'date de première mise en service',
  },
  workOrderStates: {
    requested: 'Demandé',
    assigned: 'Affecté',
    in_progress: 'En cours',
    on_hold: 'En attente',
    completed: 'Terminé',
    closed: 'Clôturé',
    cancelled: 'Annulé',
  },
  workOrderPriorities: { critical: 'Critique', high: 'Haute', normal: 'Normale', low: 'Basse' },
  workOrderTypes: {
    corrective: 'Corrective',
    preventive: 'Préventive',
    quality_control: 'Contrôle qualité',
    electrical_safety: 'Sécurité électrique',
    commissioning: 'Mise en service',
    recall_action: 'Action de rappel',
    decommissioning: 'Réforme',
    other: 'Autre',
  },
  workOrderNatures: {
    corrective: 'Maintenance corrective',
    preventive: 'Maintenance préventive',
    quality_control: 'Contrôle qualité',
    electrical_safety: 'Contrôle de sécurité électrique',
    commissioning: 'Mise en service',
    recall_action: 'Action de rappel',
    decommissioning: 'Réforme',
    other: 'Autre',
  },
  holdReasons: {
    waiting_parts: 'En attente de pièces',
    waiting_vendor: 'En attente du fournisseur',
    waiting_access: 'En attente d’accès à l’équipement',
    other: 'Autre',
  },
  checklistOutcomes: { pass: 'Conforme', fail: 'Non conforme', not_applicable: 'Sans objet' },
  conformities: {
    conforming: 'Conforme', conforming_with_reservations: 'Conforme avec réserves', non_conforming: 'Non conforme', not_evaluated: 'Non évaluée',
  },
  qualityControlKinds: { internal: 'Interne (CQI)', external: 'Externe, par un organisme accrédité (CQE)' },
  stockMovementTypes: {
    receipt: 'Réception', issue: 'Sortie', return: 'Retour', transfer_out: 'Transfert sortant', transfer_in: 'Transfert entrant',
    adjustment: 'Ajustement d’inventaire', harvest: 'Récupération sur réforme',
  },
  partUnits: { piece: 'pièce', box: 'boîte', metre: 'mètre', litre: 'litre', kit: 'kit', pack: 'lot' },
  transferStates: {
    requested: 'Demandé', approved: 'Approuvé', rejected: 'Refusé', shipped: 'En transit', received: 'Réceptionné', cancelled: 'Annulé',
  },
  skillLevels: { beginner: 'Débutant', confirmed: 'Confirmé', expert: 'Expert' },
  skillCategories: {
    equipment_maintenance: 'Maintenance des équipements',
    project_management: 'Conduite de projets techniques',
    quality_regulatory: 'Qualité et conformité réglementaire',
    electrical_safety: 'Contrôles de sécurité électrique',
    custom: 'Autres compétences',
  },
};

const en: EnumLabels = {
  roles: {
    territory_admin: 'Territory administrator',
    site_manager: 'Site manager',
    engineer: 'Biomedical engineer',
    technician: 'Biomedical technician',
    care_staff: 'Care staff',
  },
  locationKinds: { building: 'Building', floor: 'Floor', care_unit: 'Care unit', room: 'Room' },
  equipmentStatuses: {
    in_stock: 'In stock',
    in_service: 'In service',
    out_of_service: 'Out of service',
    under_maintenance: 'Under maintenance',
    on_loan: 'On loan',
    decommissioned: 'Decommissioned',
  },
  criticalities: { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' },
  maintenanceModes: { internal: 'In-house', external_contract: 'External contract', mixed: 'Mixed' },
  ownerships: {
    owned: 'Owned by the hospital',
    leased: 'Leased',
    lent_by_site: 'Lent by a site of the group',
    lent_by_vendor: 'Lent by a vendor',
  },
  riskClasses: {
    I: 'Class I', IIa: 'Class IIa', IIb: 'Class IIb', III: 'Class III',
    A: 'Class A (IVD)', B: 'Class B (IVD)', C: 'Class C (IVD)', D: 'Class D (IVD)',
  },
  obligationGrounds: { ionising_radiation: 'Emits ionising radiation', risk_class: 'Class IIb or III' },
  obligationKinds: { maintenance: 'Maintenance', qualityControl: 'Quality control' },
  electricalClasses: { I: 'Class I (protective earth)', II: 'Class II (double insulation)', internal: 'Internally powered' },
  appliedPartTypes: { none: 'No applied part', B: 'Type B', BF: 'Type BF', CF: 'Type CF' },
  leakageMethods: { direct: 'Direct method', differential: 'Differential method', alternative: 'Alternative method' },
  decommissionReasons: {
    scrap: 'Scrapped',
    resale: 'Resale',
    donation: 'Donation',
    parts_harvesting: 'Parts harvesting',
    returned_to_lessor: 'Returned to the lessor',
  },
  legalFields: {
    modelId: 'model (common and trade names, manufacturer)',
    supplier: 'supplier',
    serialNumber: 'serial number',
    locationId: 'location',
    commissioningDate: 'date first put into service',
  },
  workOrderStates: {
    requested: 'Requested',
    assigned: 'Assigned',
    in_progress: 'In progress',
    on_hold: 'On hold',
    completed: 'Completed',
    closed: 'Closed',
    cancelled: 'Cancelled',
  },
  workOrderPriorities: { critical: 'Critical', high: 'High', normal: 'Normal', low: 'Low' },
  workOrderTypes: {
    corrective: 'Corrective',
    preventive: 'Preventive',
    quality_control: 'Quality control',
    electrical_safety: 'Electrical safety',
    commissioning: 'Commissioning',
    recall_action: 'Recall action',
    decommissioning: 'Decommissioning',
    other: 'Other',
  },
  workOrderNatures: {
    corrective: 'Corrective maintenance',
    preventive: 'Preventive maintenance',
    quality_control: 'Quality control',
    electrical_safety: 'Electrical safety test',
    commissioning: 'Commissioning',
    recall_action: 'Recall action',
    decommissioning: 'Decommissioning',
    other: 'Other',
  },
  holdReasons: {
    waiting_parts: 'Waiting for parts',
    waiting_vendor: 'Waiting for the vendor',
    waiting_access: 'Waiting for access to the device',
    other: 'Other',
  },
  checklistOutcomes: { pass: 'Pass', fail: 'Fail', not_applicable: 'Not applicable' },
  conformities: {
    conforming: 'Compliant', conforming_with_reservations: 'Compliant with reservations', non_conforming: 'Non-compliant', not_evaluated: 'Not assessed',
  },
  qualityControlKinds: { internal: 'Internal (IQC)', external: 'External, by an accredited body (EQC)' },
  stockMovementTypes: {
    receipt: 'Receipt', issue: 'Issue', return: 'Return', transfer_out: 'Transfer out', transfer_in: 'Transfer in',
    adjustment: 'Inventory adjustment', harvest: 'Harvested from a decommissioned device',
  },
  partUnits: { piece: 'piece', box: 'box', metre: 'metre', litre: 'litre', kit: 'kit', pack: 'pack' },
  transferStates: {
    requested: 'Requested', approved: 'Approved', rejected: 'Rejected', shipped: 'In transit', received: 'Received', cancelled: 'Cancelled',
  },
  skillLevels: { beginner: 'Beginner', confirmed: 'Confirmed', expert: 'Expert' },
  skillCategories: {
    equipment_maintenance: 'Equipment maintenance',
    project_management: 'Technical project management',
    quality_regulatory: 'Quality and regulatory conformity',
    electrical_safety: 'Electrical-safety testing',
    custom: 'Other skills',
  },
};

export const ENUM_LABELS: Readonly<Record<LabelLocale, EnumLabels>> = { fr, en };

/** The French labels, for documents and API messages (French first). */
export const LABELS_FR: EnumLabels = fr;

/** A French label as written inside a sentence: « Hors service » → « hors service ». */
export function inSentence(label: string): string {
  return label.charAt(0).toLocaleLowerCase('fr') + label.slice(1);
}
