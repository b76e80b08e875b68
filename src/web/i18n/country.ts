/** Words of the country selection page (connector side, DESIGN §1) in French and English. */
import type { Lang } from '../lang.ts';

export interface CountryText {
  title: string;
  heading: string;
  intro: string;
  legend: string;
  hint: string;
  submit: string;
  none: string;
}

export const COUNTRY_TEXT: Readonly<Record<Lang, CountryText>> = {
  fr: {
    title: 'Choix du pays',
    heading: 'Choisissez le pays de votre identité numérique',
    intro: 'Vous allez vous connecter avec le moyen d’identification électronique d’un pays de l’Union européenne.',
    legend: 'Pays de votre identité numérique',
    hint: 'Vous serez dirigé vers le service d’identification de ce pays.',
    submit: 'Continuer',
    none: 'Aucun pays n’est disponible pour le moment. Réessayez plus tard depuis le service que vous utilisiez.',
  },
  en: {
    title: 'Choose your country',
    heading: 'Choose the country of your digital identity',
    intro: 'You are about to sign in with the electronic identification of a European Union country.',
    legend: 'Country of your digital identity',
    hint: 'You will be sent to that country’s identification service.',
    submit: 'Continue',
    none: 'No country is available at the moment. Try again later from the service you were using.',
  },
};
