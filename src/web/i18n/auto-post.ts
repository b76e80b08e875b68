/** Words of the auto-post page (the way back to a service) in French and English. */
import type { Lang } from '../lang.ts';

export const AUTO_POST_TEXT: Readonly<Record<Lang, { title: string; info: string; button: string }>> = {
  fr: {
    title: 'Retour au service',
    info: 'Vous allez être renvoyé vers le service que vous utilisiez. Si rien ne se passe, cliquez sur «\u00a0Continuer\u00a0».',
    button: 'Continuer',
  },
  en: {
    title: 'Back to the service',
    info: 'You are being sent back to the service you were using. If nothing happens, select “Continue”.',
    button: 'Continue',
  },
};
