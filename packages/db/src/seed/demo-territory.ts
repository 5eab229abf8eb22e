/**
 * The demo territory "GHT Démo": five fictitious establishments of one GHT, their
 * locations down to rooms, and the demo users (API.md lists the named ones). Pure data.
 */
import { finessCheckKey } from '@gmao/domain';
import type { RoleName } from '@gmao/domain';

export const DEMO_TERRITORY_NAME = 'GHT Démo';
export const DEMO_PASSWORD = 'Demo!2026';

export interface DemoSite {
  key: string;
  name: string;
  shortCode: string;
  /** The site's own FINESS (géographique). */
  finess: string;
  /** The legal entity that runs it and employs its staff (FINESS juridique, name). */
  legalEntityFiness: string;
  legalEntityName: string;
  kind: 'CHU' | 'CH' | 'EHPAD';
  address: string;
  postalCode: string;
  city: string;
  latitude: number;
  longitude: number;
  isSupportSite: boolean;
  /** buildings × floors × care units per floor × rooms per care unit */
  layout: { buildings: number; floors: number; unitsPerFloor: number; roomsPerUnit: number };
}

const finess = (first8: string) => first8 + finessCheckKey(first8);

export const DEMO_SITES: DemoSite[] = [
  {
    key: 'chu', name: 'CHU Démo', shortCode: 'CHU', finess: finess('45000001'), kind: 'CHU',
    legalEntityFiness: finess('45000011'), legalEntityName: 'Centre hospitalier universitaire de Valmont-sur-Loire',
    address: '1 avenue de l’Hôpital', postalCode: '45100', city: 'Valmont-sur-Loire',
    latitude: 47.8733, longitude: 1.9062, isSupportSite: true,
    layout: { buildings: 3, floors: 4, unitsPerFloor: 2, roomsPerUnit: 4 },
  },
  {
    key: 'ch1', name: 'CH de Bellerive', shortCode: 'CH1', finess: finess('45000002'), kind: 'CH',
    legalEntityFiness: finess('45000012'), legalEntityName: 'Centre hospitalier de Bellerive',
    address: '12 rue des Tanneurs', postalCode: '45200', city: 'Bellerive',
    latitude: 47.9975, longitude: 2.7330, isSupportSite: false,
    layout: { buildings: 2, floors: 3, unitsPerFloor: 2, roomsPerUnit: 3 },
  },
  {
    key: 'ch2', name: 'CH de Montclair', shortCode: 'CH2', finess: finess('45000003'), kind: 'CH',
    legalEntityFiness: finess('45000013'), legalEntityName: 'Centre hospitalier de Montclair',
    address: '5 boulevard Pasteur', postalCode: '45300', city: 'Montclair',
    latitude: 48.1700, longitude: 2.2500, isSupportSite: false,
    layout: { buildings: 2, floors: 3, unitsPerFloor: 2, roomsPerUnit: 3 },
  },
  {
    key: 'ch3', name: 'CH des Trois-Rivières', shortCode: 'CH3', finess: finess('45000004'), kind: 'CH',
    legalEntityFiness: finess('45000014'), legalEntityName: 'Centre hospitalier des Trois-Rivières',
    address: '40 route de Gien', postalCode: '45500', city: 'Trois-Rivières',
    latitude: 47.6890, longitude: 2.6300, isSupportSite: false,
    layout: { buildings: 2, floors: 2, unitsPerFloor: 2, roomsPerUnit: 3 },
  },
  {
    key: 'ehpad', name: 'EHPAD Les Tilleuls', shortCode: 'EHPAD', finess: finess('45000005'), kind: 'EHPAD',
    // Run by the CH de Bellerive: its legal entity, with the EHPAD's own FINESS géographique.
    legalEntityFiness: finess('45000012'), legalEntityName: 'Centre hospitalier de Bellerive',
    address: '3 allée des Tilleuls', postalCode: '45400', city: 'Fleury-en-Val',
    latitude: 47.9330, longitude: 1.9170, isSupportSite: false,
    layout: { buildings: 1, floors: 2, unitsPerFloor: 2, roomsPerUnit: 4 },
  },
];

export const BUILDING_LABELS = ['Bâtiment A – Médecine', 'Bâtiment B – Chirurgie', 'Bâtiment C – Plateau technique'];
export const FLOOR_LABELS = ['Rez-de-chaussée', '1er étage', '2e étage', '3e étage'];
export const CARE_UNIT_LABELS = [
  'Urgences', 'Réanimation', 'Bloc opératoire', 'Cardiologie', 'Pneumologie', 'Médecine interne',
  'Chirurgie orthopédique', 'Pédiatrie', 'Maternité', 'Néonatologie', 'Imagerie médicale', 'Hémodialyse',
  'Oncologie', 'Gériatrie', 'Soins de suite', 'Laboratoire', 'Soins intensifs', 'Endoscopie',
  'Consultations externes', 'Unité de soins continus', 'Chirurgie viscérale', 'Neurologie', 'Stérilisation',
  'Pharmacie à usage intérieur',
];
export const EHPAD_UNIT_LABELS = ['Unité Glycines', 'Unité Hortensias', 'Unité Lilas', 'Unité protégée Alizé'];

export interface DemoUser {
  email: string;
  fullName: string;
  homeSite: string;
  roles: { role: RoleName; site: string | null }[];
}

/** The users named by API.md, then about 25 more spread over the sites. */
export const DEMO_USERS: DemoUser[] = [
  { email: 'admin@ght-demo.fr', fullName: 'Alice Administratrice', homeSite: 'chu', roles: [{ role: 'territory_admin', site: null }] },
  {
    email: 'ingenieur@ght-demo.fr', fullName: 'Étienne Ingénieur', homeSite: 'chu',
    roles: DEMO_SITES.map((s) => ({ role: 'engineer' as const, site: s.key })),
  },
  { email: 'tech.chu@ght-demo.fr', fullName: 'Thomas Technicien', homeSite: 'chu', roles: [{ role: 'technician', site: 'chu' }] },
  { email: 'tech.ch1@ght-demo.fr', fullName: 'Camille Technicienne', homeSite: 'ch1', roles: [{ role: 'technician', site: 'ch1' }] },
  { email: 'responsable.ch1@ght-demo.fr', fullName: 'Romain Responsable', homeSite: 'ch1', roles: [{ role: 'site_manager', site: 'ch1' }] },
  { email: 'soignant.chu@ght-demo.fr', fullName: 'Sophie Soignante', homeSite: 'chu', roles: [{ role: 'care_staff', site: 'chu' }] },
  // Site managers of the other sites.
  u('Hélène Marchand', 'chu', [['site_manager', 'chu']]),
  u('Bruno Lefèvre', 'ch2', [['site_manager', 'ch2']]),
  u('Nathalie Garnier', 'ch3', [['site_manager', 'ch3']]),
  u('Isabelle Fontaine', 'ehpad', [['site_manager', 'ehpad']]),
  // Engineers.
  u('Julien Moreau', 'chu', [['engineer', 'chu'], ['engineer', 'ehpad']]),
  u('Claire Dubois', 'ch2', [['engineer', 'ch2'], ['engineer', 'ch3']]),
  // Technicians; some are lent to a second site (pooled technicians).
  u('Karim Benali', 'chu', [['technician', 'chu']]),
  u('Léa Rousseau', 'chu', [['technician', 'chu'], ['technician', 'ehpad']]),
  u('Mathieu Girard', 'chu', [['technician', 'chu']]),
  u('Sarah Lambert', 'chu', [['technician', 'chu'], ['technician', 'ch1']]),
  u('Nicolas Bonnet', 'ch1', [['technician', 'ch1']]),
  u('Émilie Faure', 'ch2', [['technician', 'ch2']]),
  u('Antoine Mercier', 'ch2', [['technician', 'ch2'], ['technician', 'ch3']]),
  u('Pauline Chevalier', 'ch3', [['technician', 'ch3']]),
  u('Youssef Haddad', 'ch3', [['technician', 'ch3']]),
  // Care staff.
  u('Marie Laurent', 'chu', [['care_staff', 'chu']]),
  u('Lucas Simon', 'chu', [['care_staff', 'chu']]),
  u('Chloé Michel', 'ch1', [['care_staff', 'ch1']]),
  u('Hugo Lefebvre', 'ch1', [['care_staff', 'ch1']]),
  u('Manon David', 'ch2', [['care_staff', 'ch2']]),
  u('Théo Bertrand', 'ch2', [['care_staff', 'ch2']]),
  u('Inès Robert', 'ch3', [['care_staff', 'ch3']]),
  u('Louis Petit', 'ch3', [['care_staff', 'ch3']]),
  u('Jeanne Roux', 'ehpad', [['care_staff', 'ehpad']]),
  u('Gabriel Morel', 'ehpad', [['care_staff', 'ehpad']]),
];

function u(fullName: string, homeSite: string, roles: [RoleName, string][]): DemoUser {
  const email =
    fullName
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z]+/g, '.') + '@ght-demo.fr';
  return { email, fullName, homeSite, roles: roles.map(([role, site]) => ({ role, site })) };
}
