/** Words of the consent page (issue 4 item 4) in French and English. */
import { html, type SafeHtml } from '../html.ts';
import type { Lang } from '../lang.ts';

export interface ConsentText {
  title: string;
  heading: string;
  /** "The service X, in country Y, asks for …": both already wrapped by the page. */
  intro: (service: SafeHtml, country: SafeHtml) => SafeHtml;
  /** When the request names neither ProviderName nor RequesterID. */
  introUnnamed: (country: SafeHtml) => SafeHtml;
  whoHeading: string;
  serviceLabel: string;
  requesterIdLabel: string;
  countryLabel: string;
  tableCaption: string;
  attributeColumn: string;
  valueColumn: string;
  source: string;
  refuseExplained: string;
  accept: string;
  refuse: string;
}

export const CONSENT_TEXT: Readonly<Record<Lang, ConsentText>> = {
  fr: {
    title: 'Partage de vos données',
    heading: 'Acceptez-vous de partager ces données\u00a0?',
    intro: (service, country) =>
      html`Le service ${service} (${country}) demande les données ci-dessous pour vous connecter.`,
    introUnnamed: (country) => html`Un service public européen (${country}) demande les données ci-dessous pour vous connecter.`,
    whoHeading: 'Qui demande vos données',
    serviceLabel: 'Service',
    requesterIdLabel: 'Identifiant technique du service',
    countryLabel: 'Pays',
    tableCaption: 'Données qui seront transmises',
    attributeColumn: 'Donnée',
    valueColumn: 'Valeur',
    source: 'Ces données viennent de FranceConnect. Elles ne sont transmises à ce service que si vous acceptez.',
    refuseExplained: 'Si vous refusez, vous retournez sur le service sans qu’aucune donnée ne lui soit transmise.',
    accept: 'Accepter',
    refuse: 'Refuser',
  },
  en: {
    title: 'Sharing your data',
    heading: 'Do you agree to share this data?',
    intro: (service, country) =>
      html`The service ${service} (${country}) asks for the data below to sign you in.`,
    introUnnamed: (country) => html`A European public service (${country}) asks for the data below to sign you in.`,
    whoHeading: 'Who is asking for your data',
    serviceLabel: 'Service',
    requesterIdLabel: 'Technical identifier of the service',
    countryLabel: 'Country',
    tableCaption: 'Data that will be shared',
    attributeColumn: 'Data',
    valueColumn: 'Value',
    source: 'This data comes from FranceConnect. It is shared with this service only if you accept.',
    refuseExplained: 'If you refuse, you go back to the service and none of your data is shared with it.',
    accept: 'Accept',
    refuse: 'Refuse',
  },
};
