/**
 * The territory's starting nomenclature of equipment categories: families and about 55
 * common biomedical device types, each with a default Fennigkoh–Smith risk profile
 * (function 2–10, physical risk 1–5, maintenance requirement 1–5) chosen by the method's
 * categories and explained one by one in docs/regulatory.md ("Fennigkoh–Smith defaults"),
 * and whether its devices emit ionising radiation. EMDN codes are left for each territory to
 * fill from the official nomenclature (optional field).
 */
export interface CategorySeed {
  code: string;
  label: string;
  /** [function, physical risk, maintenance requirement] */
  risk: [number, number, number];
  /** Its devices emit ionising radiation (maintenance and quality control are obligations). */
  ionisingRadiation: boolean;
}

export interface FamilySeed {
  code: string;
  label: string;
  children: CategorySeed[];
}

const IONISING = true;
const c = (code: string, label: string, risk: [number, number, number], ionisingRadiation = false): CategorySeed => ({
  code, label, risk, ionisingRadiation,
});

export const CATEGORY_FAMILIES: FamilySeed[] = [
  { code: 'VENT', label: 'Ventilation et anesthésie', children: [
    c('VENT-REA', 'Ventilateur de réanimation', [10, 5, 5]),
    c('VENT-TRA', 'Ventilateur de transport', [10, 5, 5]),
    c('VENT-VNI', 'Ventilateur de ventilation non invasive', [9, 4, 4]),
    c('VENT-ANE', "Station d'anesthésie", [10, 5, 5]),
    c('VENT-PPC', 'Appareil de pression positive continue', [8, 3, 3]),
  ] },
  { code: 'PERF', label: 'Perfusion', children: [
    c('PERF-POMPE', 'Pompe à perfusion volumétrique', [9, 5, 4]),
    c('PERF-PSE', 'Pousse-seringue électrique', [9, 5, 4]),
    c('PERF-ENT', 'Pompe de nutrition entérale', [8, 3, 3]),
    c('PERF-PCA', "Pompe d'analgésie contrôlée par le patient", [9, 5, 4]),
    c('PERF-RECH', 'Réchauffeur de sang et de solutés', [9, 4, 3]),
  ] },
  { code: 'CARD', label: 'Cardiologie', children: [
    c('CARD-DEF', 'Défibrillateur manuel', [10, 5, 4]),
    c('CARD-DAE', 'Défibrillateur automatisé externe', [10, 5, 3]),
    c('CARD-ECG', 'Électrocardiographe', [6, 3, 3]),
    c('CARD-HOL', 'Enregistreur Holter', [6, 3, 2]),
    c('CARD-EFF', "Système d'épreuve d'effort", [6, 3, 3]),
    c('CARD-STIM', 'Stimulateur cardiaque externe', [10, 5, 4]),
  ] },
  { code: 'MONI', label: 'Surveillance des patients', children: [
    c('MONI-MULTI', 'Moniteur multiparamétrique', [7, 3, 3]),
    c('MONI-CENT', 'Centrale de surveillance', [7, 3, 2]),
    c('MONI-SPO2', 'Oxymètre de pouls', [6, 3, 2]),
    c('MONI-PNI', 'Moniteur de pression non invasive', [6, 3, 3]),
    c('MONI-CAP', 'Capnographe', [7, 3, 3]),
    c('MONI-FOET', 'Cardiotocographe', [7, 3, 3]),
  ] },
  { code: 'IMAG', label: 'Imagerie médicale', children: [
    c('IMAG-ECHO', 'Échographe', [6, 3, 3]),
    c('IMAG-MOB', 'Appareil de radiographie mobile', [6, 4, 4], IONISING),
    c('IMAG-RX', 'Salle de radiographie', [6, 4, 4], IONISING),
    c('IMAG-TDM', 'Scanner (tomodensitomètre)', [6, 4, 5], IONISING),
    c('IMAG-IRM', 'IRM', [6, 4, 5]),
    c('IMAG-MAMMO', 'Mammographe', [6, 4, 4], IONISING),
    c('IMAG-ARC', 'Amplificateur de brillance (arceau)', [7, 4, 4], IONISING),
  ] },
  { code: 'DIAL', label: 'Dialyse', children: [
    c('DIAL-GEN', "Générateur d'hémodialyse", [10, 5, 5]),
    c('DIAL-EAU', "Traitement d'eau pour dialyse", [8, 4, 5]),
  ] },
  { code: 'NEO', label: 'Néonatologie', children: [
    c('NEO-COUV', 'Incubateur (couveuse)', [9, 5, 4]),
    c('NEO-TABLE', 'Table de réanimation néonatale', [9, 4, 3]),
    c('NEO-PHOTO', 'Appareil de photothérapie', [8, 3, 3]),
  ] },
  { code: 'BLOC', label: 'Bloc opératoire', children: [
    c('BLOC-BIST', 'Bistouri électrique', [9, 4, 3]),
    c('BLOC-TABLE', "Table d'opération", [2, 4, 3]),
    c('BLOC-SCIA', 'Éclairage opératoire (scialytique)', [2, 2, 2]),
    c('BLOC-ASP', 'Aspirateur chirurgical', [8, 3, 2]),
    c('BLOC-GARR', 'Garrot électrique', [9, 4, 3]),
    c('BLOC-LASER', 'Laser chirurgical', [9, 4, 4]),
  ] },
  { code: 'ENDO', label: 'Endoscopie', children: [
    c('ENDO-SOUP', 'Endoscope souple', [7, 3, 4]),
    c('ENDO-RIG', 'Endoscope rigide', [7, 3, 2]),
    c('ENDO-LAV', "Laveur-désinfecteur d'endoscopes", [2, 5, 4]),
    c('ENDO-VID', 'Processeur vidéo et source de lumière', [7, 3, 3]),
  ] },
  { code: 'LABO', label: 'Laboratoire', children: [
    c('LABO-BIOC', 'Automate de biochimie', [5, 3, 4]),
    c('LABO-HEMA', "Automate d'hématologie", [5, 3, 4]),
    c('LABO-GAZ', 'Analyseur de gaz du sang', [5, 3, 4]),
    c('LABO-CENT', 'Centrifugeuse', [4, 2, 2]),
    c('LABO-REFR', 'Réfrigérateur de laboratoire', [4, 2, 2]),
    c('LABO-MICR', 'Microscope', [4, 1, 1]),
  ] },
  { code: 'STER', label: 'Stérilisation', children: [
    c('STER-AUTO', 'Autoclave', [2, 5, 5]),
    c('STER-LAV', 'Laveur-désinfecteur', [2, 4, 4]),
  ] },
  { code: 'LITS', label: 'Lits et aides à la manutention', children: [
    c('LITS-ELEC', 'Lit médicalisé électrique', [2, 4, 2]),
    c('LITS-BRAN', 'Brancard', [2, 4, 2]),
    c('LITS-MATE', 'Matelas thérapeutique à air', [8, 3, 2]),
    c('LITS-LEVE', 'Lève-personne', [2, 4, 3]),
  ] },
  { code: 'REED', label: 'Rééducation', children: [
    c('REED-ELEC', 'Électrostimulateur', [8, 3, 2]),
    c('REED-US', 'Appareil de thérapie par ultrasons', [8, 4, 3]),
  ] },
  { code: 'DIVE', label: 'Petits équipements', children: [
    c('DIVE-THER', 'Thermomètre médical électronique', [6, 3, 1]),
    c('DIVE-PESE', 'Pèse-personne', [2, 3, 1]),
    c('DIVE-OPHT', 'Ophtalmoscope', [6, 1, 1]),
    c('DIVE-ASPM', 'Régulateur de vide mural', [8, 3, 2]),
    c('DIVE-DEBI', "Débitmètre d'oxygène", [8, 3, 1]),
    c('DIVE-ESPS', 'Enceinte de conservation des produits sanguins', [4, 4, 3]),
  ] },
];

/** Default criticality of a category from its function score. */
export function criticalityOf(functionScore: number): 'low' | 'medium' | 'high' | 'critical' {
  if (functionScore >= 9) return 'critical';
  if (functionScore >= 7) return 'high';
  if (functionScore >= 5) return 'medium';
  return 'low';
}
