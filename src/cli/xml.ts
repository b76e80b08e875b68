/**
 * `pont xml sign|verify|encrypt|decrypt`: the XML security core on files, shaped like xmlsec1,
 * for operators debugging a peer. Input is parsed with the node's parser (metadata limits);
 * results go to stdout, one-line errors to stderr (errors.ts).
 */
import type { Command } from 'commander';
import { ENC } from '../saml/namespaces.ts';
import { collect, integerIn, nameOrUri } from './options.ts';

/** The actions load the XML core on first use: `pont serve` and `--help` stay light. */
const actions = () => import('./xml-actions.ts');

const DATA_ALGORITHMS = { 'aes256-gcm': ENC.AES256_GCM, 'aes128-gcm': ENC.AES128_GCM };
const KEY_TRANSPORTS = { 'rsa-oaep': ENC.RSA_OAEP, 'rsa-oaep-mgf1p': ENC.RSA_OAEP_MGF1P };
const KEY_WRAPS = { 'kw-aes256': ENC.KW_AES256, 'kw-aes128': ENC.KW_AES128 };

export function registerXmlCommands(program: Command): void {
  const xml = program.command('xml').description('sign, verify, encrypt and decrypt XML files with the node\'s XML security core');

  xml
    .command('sign')
    .description('sign the root element (enveloped, by its ID) and print the signed document')
    .argument('<FILE>', 'XML document whose root element carries an ID')
    .requiredOption('--key <KEY.pem>', 'private key (PEM)')
    .option('--cert <CERT.pem>', 'certificate to put in KeyInfo (PEM or DER; informative for verifiers)')
    .option('--alg <NAME|URI>', 'signature algorithm: rsa-pss-sha256|384|512, ecdsa-sha256|384|512 or a URI (default from the key)')
    .option('--id-attr <NAME>', 'name of the ID attribute', 'ID')
    .option('--pwd-file <FILE>', 'file whose first line is the key\'s passphrase')
    .action(async (file, opts) => (await actions()).signAction(file, opts));

  xml
    .command('verify')
    .description('verify the signature of the root element against a trusted certificate')
    .argument('<FILE>', 'signed XML document')
    .requiredOption('--cert <CERT>', 'trusted certificate, PEM or DER (repeat for several)', collect)
    .option('--allow-legacy-rsa-sha256', 'accept RSA PKCS#1 v1.5 SHA-256 (a named legacy peer only)')
    .option('--min-rsa-bits <N>', 'smallest RSA key accepted (2048–16384)', integerIn(2048, 16384), 3072)
    .action(async (file, opts) => (await actions()).verifyAction(file, opts));

  xml
    .command('encrypt')
    .description('replace one element by its encryption to a certificate and print the document')
    .argument('<FILE>', 'XML document')
    .requiredOption('--cert <CERT>', 'recipient certificate, PEM or DER (RSA: key transport; EC: ECDH-ES)')
    .requiredOption('--element <LOCALNAME>', 'local name of the element to encrypt (exactly one must exist)')
    .option('--alg <NAME|URI>', `data encryption: ${Object.keys(DATA_ALGORITHMS).join(', ')} or a URI`, nameOrUri(DATA_ALGORITHMS))
    .option('--key-transport <NAME|URI>', `RSA key transport: ${Object.keys(KEY_TRANSPORTS).join(', ')} or a URI`, nameOrUri(KEY_TRANSPORTS))
    .option('--key-wrap <NAME|URI>', `EC key wrap: ${Object.keys(KEY_WRAPS).join(', ')} or a URI`, nameOrUri(KEY_WRAPS))
    .action(async (file, opts) => (await actions()).encryptAction(file, opts));

  xml
    .command('decrypt')
    .description('print the document with every encrypted element it can decrypt replaced by its plaintext')
    .argument('<FILE>', 'XML document with xenc:EncryptedData elements')
    .requiredOption('--key <KEY.pem>', 'private decryption key, PEM (repeat for several)', collect)
    .option('--pwd-file <FILE>', 'file whose first line is the keys\' passphrase')
    .action(async (file, opts) => (await actions()).decryptAction(file, opts));
}
