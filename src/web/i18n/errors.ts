/** Words of the citizen error page, per kind of failure, in French and English (DESIGN §6). */
import type { Lang } from '../lang.ts';

export const ERROR_KINDS = [
  'request-invalid',
  'request-unknown-service',
  'session-expired',
  'login-failed',
  'service-unavailable',
  'not-found',
  'internal',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface ErrorKindText {
  title: string;
  what: string;
  todo: string;
}

export interface ErrorPageText {
  statusLine: (status: number) => string;
  whatHeading: string;
  todoHeading: string;
  supportCodeLabel: string;
  supportCodeHelp: string;
  kinds: Readonly<Record<ErrorKind, ErrorKindText>>;
}

export const ERROR_TEXT: Readonly<Record<Lang, ErrorPageText>> = {
  fr: {
    statusLine: (status) => `Erreur ${status}`,
    whatHeading: 'Ce qui s’est passé',
    todoHeading: 'Ce que vous pouvez faire',
    supportCodeLabel: 'Code d’assistance\u00a0:',
    supportCodeHelp: 'Si vous contactez l’assistance, donnez ce code\u00a0: il nous permet de retrouver ce qui s’est passé.',
    kinds: {
      'request-invalid': {
        title: 'La demande de connexion n’est pas valide',
        what: 'Le service européen qui vous a envoyé ici a transmis une demande de connexion que nous ne pouvons pas accepter. Aucune donnée n’a été transmise.',
        todo: 'Retournez sur le service que vous utilisiez et recommencez la connexion. Si le problème persiste, contactez l’assistance de ce service.',
      },
      'request-unknown-service': {
        title: 'Ce service n’est pas reconnu',
        what: 'Le service qui vous a envoyé ici ne fait pas partie des services européens reconnus par le nœud eIDAS français. Aucune donnée n’a été transmise.',
        todo: 'Retournez sur le service que vous utilisiez et contactez son assistance.',
      },
      'session-expired': {
        title: 'Votre session a expiré',
        what: 'Votre connexion a duré trop longtemps, ou cette page a déjà été utilisée. Par sécurité, la connexion a été interrompue.',
        todo: 'Retournez sur le service que vous utilisiez et recommencez la connexion.',
      },
      'login-failed': {
        title: 'La connexion n’a pas abouti',
        what: 'La connexion auprès de votre service d’identification (FranceConnect, ou celui de votre pays) a été annulée ou a échoué.',
        todo: 'Retournez sur le service que vous utilisiez et recommencez la connexion.',
      },
      'service-unavailable': {
        title: 'Service momentanément indisponible',
        what: 'Le service est momentanément indisponible.',
        todo: 'Réessayez dans quelques minutes depuis le service que vous utilisiez.',
      },
      'not-found': {
        title: 'Page non trouvée',
        what: 'La page que vous cherchez n’existe pas ou plus.',
        todo: 'Vérifiez l’adresse, ou retournez sur le service que vous utilisiez et recommencez la connexion.',
      },
      internal: {
        title: 'Une erreur technique est survenue',
        what: 'Une erreur de notre côté nous empêche de traiter votre connexion. Aucune donnée n’a été transmise.',
        todo: 'Réessayez dans quelques minutes depuis le service que vous utilisiez. Si le problème persiste, contactez l’assistance.',
      },
    },
  },
  en: {
    statusLine: (status) => `Error ${status}`,
    whatHeading: 'What happened',
    todoHeading: 'What you can do',
    supportCodeLabel: 'Support code:',
    supportCodeHelp: 'If you contact support, give this code: it lets us find out what happened.',
    kinds: {
      'request-invalid': {
        title: 'The sign-in request is not valid',
        what: 'The European service that sent you here sent a sign-in request we cannot accept. No data was shared.',
        todo: 'Go back to the service you were using and sign in again. If the problem persists, contact that service’s support.',
      },
      'request-unknown-service': {
        title: 'This service is not recognised',
        what: 'The service that sent you here is not one of the European services recognised by France’s eIDAS node. No data was shared.',
        todo: 'Go back to the service you were using and contact its support.',
      },
      'session-expired': {
        title: 'Your session has expired',
        what: 'Your sign-in took too long, or this page was already used. For your security, the sign-in was stopped.',
        todo: 'Go back to the service you were using and sign in again.',
      },
      'login-failed': {
        title: 'The sign-in did not complete',
        what: 'The sign-in with your identity service (FranceConnect, or your country’s) was cancelled or failed.',
        todo: 'Go back to the service you were using and sign in again.',
      },
      'service-unavailable': {
        title: 'Service temporarily unavailable',
        what: 'The service is temporarily unavailable.',
        todo: 'Try again in a few minutes from the service you were using.',
      },
      'not-found': {
        title: 'Page not found',
        what: 'The page you are looking for does not exist or no longer exists.',
        todo: 'Check the address, or go back to the service you were using and sign in again.',
      },
      internal: {
        title: 'A technical error occurred',
        what: 'An error on our side prevents us from handling your sign-in. No data was shared.',
        todo: 'Try again in a few minutes from the service you were using. If the problem persists, contact support.',
      },
    },
  },
};
