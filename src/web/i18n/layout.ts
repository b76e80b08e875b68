/** Words of the page frame (header, skip links, language switch, footer) in French and English. */
import type { Lang } from '../lang.ts';

export interface LayoutText {
  serviceName: string;
  serviceTagline: string;
  skipLinks: string;
  skipToContent: string;
  skipToFooter: string;
  languageNav: string;
  footerDescription: string;
  newWindow: string;
  accessibility: string;
  licencePrefix: string;
  licenceName: string;
}

export const LAYOUT_TEXT: Readonly<Record<Lang, LayoutText>> = {
  fr: {
    serviceName: 'Pont eIDAS',
    serviceTagline: 'Nœud eIDAS de la France\u00a0: votre identité numérique en Europe',
    skipLinks: 'Accès rapide',
    skipToContent: 'Contenu',
    skipToFooter: 'Pied de page',
    languageNav: 'Choix de la langue',
    footerDescription:
      'Pont eIDAS relie FranceConnect aux services publics des autres pays de l’Union européenne, ' +
      'dans le cadre du règlement européen eIDAS.',
    newWindow: 'nouvelle fenêtre',
    accessibility: 'Accessibilité\u00a0: non conforme',
    licencePrefix: 'Sauf mention explicite de propriété intellectuelle détenue par des tiers, les contenus de ce site sont proposés sous',
    licenceName: 'licence etalab-2.0',
  },
  en: {
    serviceName: 'Pont eIDAS',
    serviceTagline: 'France’s eIDAS node: your digital identity in Europe',
    skipLinks: 'Quick access',
    skipToContent: 'Content',
    skipToFooter: 'Footer',
    languageNav: 'Language',
    footerDescription:
      'Pont eIDAS connects FranceConnect with the public services of the other countries of the ' +
      'European Union, under the European eIDAS regulation.',
    newWindow: 'new window',
    accessibility: 'Accessibility: not compliant',
    licencePrefix: 'Unless stated otherwise for intellectual property held by third parties, the content of this site is offered under the',
    licenceName: 'etalab-2.0 licence',
  },
};

/** Each language named in itself, for the switch. */
export const LANGUAGE_NAMES: Readonly<Record<Lang, string>> = { fr: 'Français', en: 'English' };

/** Footer links of the State's sites (DSFR footer). */
export const FOOTER_LINKS: readonly { href: string; label: string }[] = [
  { href: 'https://www.info.gouv.fr', label: 'info.gouv.fr' },
  { href: 'https://www.service-public.gouv.fr', label: 'service-public.gouv.fr' },
  { href: 'https://www.legifrance.gouv.fr', label: 'legifrance.gouv.fr' },
  { href: 'https://www.data.gouv.fr', label: 'data.gouv.fr' },
];

export const LICENCE_URL = 'https://github.com/etalab/licence-ouverte/blob/master/LO.md';
