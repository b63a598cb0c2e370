#!/usr/bin/env node
// Generates the NOWPayments IPN signature test vectors the Java verifier is checked against.
// Node (v20) is the reference: what JSON.parse + JSON.stringify do here is what NOWPayments' own code does.
//
//   node contracts/src/test/node/generate-signature-vectors.js
//
// Writes, under contracts/src/test/resources/signature/:
//   vectors.json          hand-written IPN bodies: both canonical forms and both signatures
//   random-canonical.json 500 random JSON objects (seeded PRNG): body text and Node's canonical bytes, both forms
//   numbers.json          IEEE doubles (as bit patterns) and how JSON.stringify prints them
// Deterministic: the same Node major version always writes the same files.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const OUT = path.join(__dirname, '..', 'resources', 'signature');

// ---- The two signing forms, exactly as the JavaScript sources write them ----

// Official Node SDK: sort keys recursively (a new object, keys inserted in sorted order), arrays stay arrays.
function deepSort(value) {
  if (Array.isArray(value)) {
    return value.map(deepSort);
  }
  if (value !== null && typeof value === 'object') {
    return Object.keys(value).sort().reduce((result, key) => {
      result[key] = deepSort(value[key]);
      return result;
    }, {});
  }
  return value;
}

function canonicalDeepSorted(params) {
  return JSON.stringify(deepSort(params));
}

// Older API docs: a replacer array made of the sorted top-level keys.
function canonicalTopLevelReplacer(params) {
  return JSON.stringify(params, Object.keys(params).sort());
}

function sign(secret, canonical) {
  return crypto.createHmac('sha512', secret.trim()).update(canonical).digest('hex');
}

function b64(text) {
  return Buffer.from(text, 'utf8').toString('base64');
}

// ---- Hand-written vectors ----

const CURRENT = 'test-ipn-secret-current';
const PADDED = '  test-ipn-secret-padded\n';

function ipn(overrides) {
  return Object.assign({
    payment_id: 5077125051,
    parent_payment_id: null,
    invoice_id: 4522625843,
    payment_status: 'finished',
    pay_address: '0xd1cDE08A07cD25adEbEd35c3867a59228C09B606',
    payin_extra_id: null,
    price_amount: 15,
    price_currency: 'usd',
    pay_amount: 0.00041632,
    actually_paid: 0.00041632,
    actually_paid_at_fiat: 0,
    pay_currency: 'btc',
    order_id: 'PGP-6271402111|-1003253338212',
    order_description: 'Monthly subscription',
    purchase_id: '5837122679',
    outcome_amount: 14.2233,
    outcome_currency: 'usdttrc20',
    payment_extra_ids: null,
    fee: { currency: 'btc', depositFee: 0, withdrawalFee: 0, serviceFee: 0.0000025 },
  }, overrides);
}

function shuffledKeys(object, seed) {
  const random = mulberry32(seed);
  const keys = Object.keys(object);
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [keys[i], keys[j]] = [keys[j], keys[i]];
  }
  const out = {};
  for (const key of keys) {
    const value = object[key];
    out[key] = value !== null && typeof value === 'object' && !Array.isArray(value)
      ? shuffledKeys(value, seed + 1) : value;
  }
  return out;
}

// Bodies are written as raw text so that number spellings (15.0, 2.50, 1E-7) and escapes reach the parser as sent.
const HANDWRITTEN = [
  ['finished-ipn-with-nested-fee-pretty', JSON.stringify(ipn({}), null, 2)],
  ['finished-ipn-with-nested-fee-compact-shuffled', JSON.stringify(shuffledKeys(ipn({}), 7))],
  ['finished-ipn-with-nested-fee-tabs-shuffled', JSON.stringify(shuffledKeys(ipn({}), 99), null, '\t')],
  ['arrays-and-nulls', JSON.stringify(ipn({
    payment_extra_ids: [{ z: 1, a: null }, [3, 2, 1], [], {}, null, 'x'],
    order_description: null,
    tags: [[{ b: [{ d: 1, c: 2 }] }]],
  }))],
  ['non-ascii-slash-quote-backslash', JSON.stringify(ipn({
    order_description: 'Подписка — café 日本 😀 a/b "quoted" back\\slash',
    'ключ': 'значение',
  }))],
  ['input-escapes-are-normalised',
    '{"payment_id":1,"s":"\\u0041\\/\\u00e9\\u00E9\\ud83d\\ude00\\"\\\\","\\u006b":"k"}'],
  ['control-characters',
    '{"payment_id":2,"s":"\\u0000\\u0001\\b\\f\\n\\r\\t\\u000b\\u001f\\u007f\\u2028\\u2029 end","k\\n":1}'],
  ['lone-surrogates', '{"payment_id":3,"hi":"x\\ud800y","lo":"\\udc00","pair":"\\ud83d\\ude00","\\udbff":1}'],
  ['tiny-amounts', '{"payment_id":4,"a":1e-7,"b":3.3e-7,"c":0.0000001,"d":0.000001,"e":1.0E-7,'
    + '"f":0.00000123,"g":1.5e-10,"h":-2.5E-8,"i":0.1,"j":5e-324,"k":1e-400}'],
  ['whole-number-floats', '{"payment_id":5,"price_amount":15.0,"pay_amount":2.50,"c":100.00,'
    + '"d":-0,"e":-0.0,"f":0.0,"g":1.10,"h":1e2,"i":12.5e1}'],
  ['big-numbers', '{"payment_id":6,"a":1e21,"b":1E+21,"c":999999999999999999999,"d":9007199254740993,'
    + '"e":12345678901234567890,"f":1e400,"g":1.7976931348623157e308,"h":123456789012345678901234567890,'
    + '"i":100000000000000000000,"j":-1e21,"k":4.35e20,"l":9007199254740992}'],
  ['integer-like-keys', '{"b":1,"10":2,"a":3,"9":4,"0":5,"4294967294":6,"4294967295":7,"-1":8,"01":9,'
    + '"1.5":10,"1e3":11,"nested":{"2":"two","1":"one","x":"x","10":"ten"},"payment_id":7}'],
  ['unicode-key-order', '{"z":1,"Z":2,"é":3,"😀":4,"ｚ":5,"":6,"_":7,"a b":8,"payment_id":8}'],
  ['duplicate-keys-last-wins', '{"payment_id":9,"payment_status":"waiting","a":{"x":1},"payment_status":"finished",'
    + '"a":{"y":2}}'],
  ['proto-and-object-prototype-keys', '{"payment_id":10,"__proto__":{"x":1},"constructor":"c","toString":2,'
    + '"fee":{"currency":"btc"},"list":[{"k":1}]}'],
  ['top-level-value-types', '{"payment_id":11,"t":true,"f":false,"n":null,"s":"","o":{},"a":[]}'],
];

// The replacer-form vector: what older NOWPayments integrations sign; its fee serialises as {}.
const REPLACER_SIGNED = new Set(['replacer-signed-ipn-with-fee']);
HANDWRITTEN.push(['replacer-signed-ipn-with-fee', JSON.stringify(shuffledKeys(ipn({ payment_status: 'confirming' }), 3))]);

function vector(name, body, secret, signedForm) {
  const parsed = JSON.parse(body);
  const canonical = {
    'deep-sorted': canonicalDeepSorted(parsed),
    'top-level-replacer': canonicalTopLevelReplacer(parsed),
  };
  const signature = {
    'deep-sorted': sign(secret, canonical['deep-sorted']),
    'top-level-replacer': sign(secret, canonical['top-level-replacer']),
  };
  return {
    name,
    secret,
    body,
    signed_form: signedForm,
    header: signature[signedForm],
    canonical,
    canonical_utf8_base64: {
      'deep-sorted': b64(canonical['deep-sorted']),
      'top-level-replacer': b64(canonical['top-level-replacer']),
    },
    signature,
  };
}

function handwrittenVectors() {
  const vectors = HANDWRITTEN.map(([name, body]) =>
    vector(name, body, CURRENT, REPLACER_SIGNED.has(name) ? 'top-level-replacer' : 'deep-sorted'));
  vectors.push(vector('secret-with-surrounding-whitespace', JSON.stringify(ipn({})), PADDED, 'deep-sorted'));
  return vectors;
}

// ---- Random objects from a seeded PRNG ----

function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomGenerator(random) {
  const int = (n) => Math.floor(random() * n);
  const pick = (list) => list[int(list.length)];
  const digits = (n, noLeadingZero) => {
    let s = '';
    for (let i = 0; i < n; i++) {
      s += String(i === 0 && noLeadingZero ? 1 + int(9) : int(10));
    }
    return s;
  };

  const KEYS = ['payment_id', 'payment_status', 'price_amount', 'pay_amount', 'fee', 'currency', 'depositFee',
    'order_id', 'a', 'b', 'B', 'z', '_', '', ' ', 'a b', 'ключ', 'é', 'e\u0301', '日本', '😀', '\uff5a', 'tab\t',
    'quo"te', 'back\\slash', 'sl/ash', 'nl\n', 'ctl\u0001', '0', '1', '9', '10', '42', '007', '-1', '1.5', '1e3',
    '4294967294', '4294967295', 'constructor', 'toString', 'length', '__proto__'];
  const CHARS = ['a', 'Z', '0', ' ', '/', '"', '\\', '\n', '\t', '\b', '\f', '\r', '\u0000', '\u001f', '\u007f',
    'é', 'ß', 'Ж', '—', '\u2028', '\u2029', '日', '\uffff', '😀', '\ud800', '\udfff', '<', '&', "'"];
  const SPECIAL_NUMBERS = ['0', '-0', '0.0', '-0.0', '15.0', '2.50', '1e-7', '3.3e-7', '1E-7', '0.000001',
    '0.0000001', '1e21', '1e+21', '1e20', '999999999999999999999', '9007199254740993', '5e-324', '1e-400',
    '1e400', '-1e400', '1.7976931348623157e308', '2.2250738585072014e-308', '0.1', '0.30000000000000004'];

  function numberToken() {
    const sign = random() < 0.3 ? '-' : '';
    switch (int(6)) {
      case 0: return sign + (random() < 0.2 ? '0' : digits(1 + int(25), true));
      case 1: return sign + (random() < 0.5 ? '0' : digits(1 + int(8), true)) + '.' + digits(1 + int(20));
      case 2: return sign + digits(1 + int(3), true) + (random() < 0.5 ? '.' + digits(1 + int(6)) : '')
        + pick(['e', 'E']) + pick(['', '+', '-']) + String(int(330));
      case 3: return pick(SPECIAL_NUMBERS);
      case 4: {
        const view = new DataView(new ArrayBuffer(8));
        view.setUint32(0, Math.floor(random() * 4294967296));
        view.setUint32(4, Math.floor(random() * 4294967296));
        const x = view.getFloat64(0);
        return Number.isFinite(x) ? String(x) : '1';
      }
      default: return sign + digits(1 + int(4), true) + '.' + digits(int(4)) + '0'.repeat(1 + int(3));
    }
  }

  function randomString() {
    let s = '';
    const n = int(12);
    for (let i = 0; i < n; i++) {
      s += pick(CHARS);
    }
    return s;
  }

  function value(depth) {
    const roll = random();
    if (depth < 3 && roll < 0.15) {
      return object(depth + 1);
    }
    if (depth < 3 && roll < 0.25) {
      const items = [];
      const n = int(5);
      for (let i = 0; i < n; i++) {
        items.push(value(depth + 1));
      }
      return { t: 'arr', items };
    }
    if (roll < 0.6) {
      return { t: 'num', text: numberToken() };
    }
    if (roll < 0.85) {
      return { t: 'str', value: randomString() };
    }
    return { t: 'lit', text: pick(['null', 'true', 'false']) };
  }

  function object(depth) {
    const entries = [];
    const n = int(depth === 0 ? 10 : 5) + (depth === 0 ? 1 : 0);
    for (let i = 0; i < n; i++) {
      entries.push([random() < 0.85 ? pick(KEYS) : randomString(), value(depth)]);
    }
    if (entries.length > 0 && random() < 0.1) {
      entries.push([entries[int(entries.length)][0], value(depth)]); // a duplicate key: the last one wins
    }
    return { t: 'obj', entries };
  }

  // Writes a JSON string the way an arbitrary sender might: sometimes \u-escaped (either hex case), \/ for /.
  function quote(text) {
    const escape = (c) => {
      const hex = c.toString(16).padStart(4, '0');
      return '\\u' + (random() < 0.5 ? hex : hex.toUpperCase());
    };
    let out = '"';
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const ch = text[i];
      const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length
        && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff;
      if (pair) {
        out += random() < 0.05 ? escape(c) + escape(text.charCodeAt(i + 1)) : text.substr(i, 2);
        i++;
      } else if ((c >= 0xd800 && c <= 0xdfff) || c < 0x20 || random() < 0.05) {
        out += escape(c); // lone surrogates must be escaped: the body itself has to be valid UTF-8
      } else if (ch === '"' || ch === '\\') {
        out += '\\' + ch;
      } else if (ch === '/' && random() < 0.5) {
        out += '\\/';
      } else {
        out += ch;
      }
    }
    return out + '"';
  }

  function write(node, pretty, indent) {
    const nl = pretty ? '\n' + ' '.repeat(indent + 2) : '';
    const end = pretty ? '\n' + ' '.repeat(indent) : '';
    switch (node.t) {
      case 'obj':
        if (node.entries.length === 0) return '{}';
        return '{' + node.entries.map(([k, v]) => nl + quote(k) + (pretty ? ': ' : ':') + write(v, pretty, indent + 2))
          .join(',') + end + '}';
      case 'arr':
        if (node.items.length === 0) return '[]';
        return '[' + node.items.map((v) => nl + write(v, pretty, indent + 2)).join(',') + end + ']';
      case 'num': return node.text;
      case 'str': return quote(node.value);
      default: return node.text;
    }
  }

  return { object, write, random };
}

function randomCanonical(count, seed) {
  const gen = randomGenerator(mulberry32(seed));
  const cases = [];
  for (let i = 0; i < count; i++) {
    const body = gen.write(gen.object(0), gen.random() < 0.3, 0);
    const parsed = JSON.parse(body);
    cases.push({
      body,
      'deep-sorted': canonicalDeepSorted(parsed),
      'top-level-replacer': canonicalTopLevelReplacer(parsed),
    });
  }
  return cases;
}

// ---- Number printing ----

function bitsHex(x) {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getUint32(0).toString(16).padStart(8, '0') + view.getUint32(4).toString(16).padStart(8, '0');
}

function numberCases(seed) {
  const random = mulberry32(seed);
  const values = [];
  for (let k = -1074; k <= 1023; k++) {
    values.push(2 ** k); // powers of two: the round-trip interval is lopsided there
  }
  const view = new DataView(new ArrayBuffer(8));
  while (values.length < 2098 + 2000) {
    view.setUint32(0, Math.floor(random() * 4294967296));
    view.setUint32(4, Math.floor(random() * 4294967296));
    const x = view.getFloat64(0);
    if (Number.isFinite(x)) values.push(x);
  }
  for (let i = 0; i < 1000; i++) {
    const mantissa = Math.floor(random() * 10 ** (1 + Math.floor(random() * 9)));
    values.push(Number(mantissa + 'e' + (Math.floor(random() * 60) - 40))); // amounts as people write them
  }
  values.push(0, -0, 1e21, 1e-7, 3.3e-7, 1e-6, 9.999999999999999e20, 123e-20, Number.MAX_VALUE, Number.MIN_VALUE,
    2 ** 53, 2 ** 53 + 2, -(2 ** 63), 0.1, 0.2, 0.30000000000000004, 1 / 3, 5e-324, 1.5e300, 4.35, 2 ** -1074 * 3);
  return values.map((x) => [bitsHex(x), JSON.stringify(x)]);
}

function writeJson(file, data) {
  fs.mkdirSync(OUT, { recursive: true });
  fs.writeFileSync(path.join(OUT, file), JSON.stringify(data, null, 1) + '\n');
}

writeJson('vectors.json', { generator: 'generate-signature-vectors.js', node: process.version, vectors: handwrittenVectors() });
writeJson('random-canonical.json', { generator: 'generate-signature-vectors.js', node: process.version, seed: 20240611,
  cases: randomCanonical(500, 20240611) });
writeJson('numbers.json', { generator: 'generate-signature-vectors.js', node: process.version,
  cases: numberCases(1234567) });
