/**
 * The mock's pages: plain server-rendered HTML that works without JavaScript (a form with one
 * radio button per test citizen, a submit and a cancel button) and an error page. Every value
 * is HTML-escaped; the citizens include names with `<`, `&` and quotes on purpose.
 */
import { fullName, type Citizen } from './citizens.ts';

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
fieldset{border:1px solid #666;padding:1rem}label{display:block;padding:.4rem 0}
button{font-size:1rem;padding:.5rem 1rem;margin:.5rem .5rem 0 0}.notice{border-left:4px solid #000091;padding-left:.75rem}`;

function layout(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} – FranceConnect (simulation)</title>
<style>${STYLE}</style>
</head>
<body>
<header><p><strong>FranceConnect – simulation</strong> (environnement de développement, identités fictives)</p></header>
<main id="contenu">
${body}
</main>
</body>
</html>`;
}

export interface PickerPage {
  /** Where the form posts (the interaction's login URL). */
  action: string;
  cancelAction: string;
  clientId: string;
  acr: string;
  citizens: readonly Citizen[];
  /** A login_hint that named no known citizen. */
  unknownHint?: string | undefined;
}

function citizenOption(c: Citizen, index: number): string {
  const id = `citoyen-${index}`;
  const born = c.claims.birthplace ? `commune ${c.claims.birthplace}` : `à l'étranger, pays ${c.claims.birthcountry}`;
  return `<label for="${id}"><input type="radio" id="${id}" name="citizen" value="${escapeHtml(c.id)}"${index === 0 ? ' required' : ''}>
 ${escapeHtml(fullName(c))}, né(e) le ${escapeHtml(c.claims.birthdate)} (${escapeHtml(born)}) – <small>${escapeHtml(c.summary)}</small></label>`;
}

export function pickerPage(p: PickerPage): string {
  const notice = p.unknownHint
    ? `<p class="notice" role="status">Aucune identité de test ne porte l'identifiant « ${escapeHtml(p.unknownHint)} ».</p>\n`
    : '';
  return layout(
    'Choisir une identité',
    `<h1>Choisir une identité de test</h1>
${notice}<p>Le service <strong>${escapeHtml(p.clientId)}</strong> demande une connexion au niveau <strong>${escapeHtml(p.acr)}</strong>.</p>
<form method="post" action="${escapeHtml(p.action)}">
<fieldset>
<legend>Identités fictives disponibles</legend>
${p.citizens.map(citizenOption).join('\n')}
</fieldset>
<button type="submit">Se connecter</button>
</form>
<form method="post" action="${escapeHtml(p.cancelAction)}">
<button type="submit">Annuler et revenir au service</button>
</form>`,
  );
}

export function errorPage(error: string, description: string): string {
  return layout(
    'Erreur',
    `<h1>Une erreur est survenue</h1>
<p>Code : <code>${escapeHtml(error)}</code></p>
${description ? `<p>${escapeHtml(description)}</p>` : ''}`,
  );
}
