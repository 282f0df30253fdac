/*
 * Verify a random draw (双随机) from its draw file, in the visitor's own browser.
 *
 * The same checks as src/oversight/planning/verify.py's verify(), line for line, with the same
 * problem texts: the commitment is recomputed with SHA-256 (WebCrypto), each member's number U
 * from SHA-256(seed ":" commitment ":" id), and the draw order by exact integer comparisons
 * (BigInt) — never floating point. The method is described byte by byte in docs/draw.md.
 *
 * No framework, no build step, nothing loaded from elsewhere. A file is read as Python's
 * json.loads reads it (integers exact, 1.0 a float, a key twice refused), so the two verifiers
 * see the same document. Where the two may still differ in words (never in the verdict of a
 * well-formed file): a character assigned after the Unicode version of the Python that runs
 * verify.py, and the reason a file cannot be read at all.
 *
 * API, for the page and for tests:
 *   OversightDraw.verify(input)   input: a File/Blob, an ArrayBuffer or Uint8Array, or JSON text
 *     -> Promise<{valid, unreadable, problems: [{code, text, params}], commitment, result,
 *                 members, summary}>
 *     text is verify.py's line; result is the draw recomputed [{id, u}] (decimal strings);
 *     members is every member's U [{id, u}] in file order.
 *   OversightDraw.render(problem, templates)  a problem in the page's language
 */
(function (global) {
  "use strict";

  var FORMAT = "oversight-draw";
  var ALGORITHM = "es-sha256";
  var KINDS = ["TARGETS", "INSPECTORS"];
  var MAX_ID = 9007199254740991n; // 2**53 - 1
  var MAX_WEIGHT = 1000n;
  var MAX_LOAD = 1000000n;
  var MAX_TEXT = 200;
  var LISTED = 10;
  var MAX_DEPTH = 990; // Python's json gives up (RecursionError) near 1,000 levels
  var MAX_INT_DIGITS = 4300; // Python refuses to read longer integers
  var STRATUM = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
  var HEX64 = /^[0-9a-f]{64}$/;
  var TIME =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}|\d{6}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;
  var TOP_KEYS = [
    "format", "version", "algorithm", "kind", "context", "parameters", "population",
    "commitment", "committed_at", "seed", "result",
  ];
  var SEED_KEYS = ["value", "source", "entered_by", "entered_at"];
  var MEMBER_KEYS = ["id", "weight", "stratum", "load"];
  // What a seed or context may not hold besides the ASCII space (verify.BAD_CATEGORIES).
  var BAD = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\p{Zs}]$/u;
  // What Python's repr() escapes (str.isprintable is false), besides the ASCII space.
  var UNPRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;
  // Python's str.isspace(): what str.split() and str.strip() take as white space.
  var PY_SPACE = "\t\n\u000b\f\r\u001c\u001d\u001e\u001f \u0085\u00a0\u1680" +
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" +
    "\u2028\u2029\u202f\u205f\u3000";

  // --- values as Python's json.loads gives them -------------------------------------------------
  // null, true/false, integers as BigInt, floats as PyFloat, strings, arrays, objects as Map
  // (insertion order kept, as in a Python dict).

  function PyFloat(value) {
    this.value = value;
  }

  function Unreadable(reason) {
    this.reason = reason;
  }

  function isInt(v) {
    return typeof v === "bigint";
  }

  function isDict(v) {
    return v instanceof Map;
  }

  function get(dict, key) {
    return dict.has(key) ? dict.get(key) : null;
  }

  function sameKeys(dict, keys) {
    if (dict.size !== keys.length) return false;
    for (var i = 0; i < keys.length; i++) if (!dict.has(keys[i])) return false;
    return true;
  }

  // Python's order of str: by code point (JavaScript's < compares UTF-16 units).
  function cmpStr(a, b) {
    var x = Array.from(a), y = Array.from(b);
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      var p = x[i].codePointAt(0), q = y[i].codePointAt(0);
      if (p !== q) return p < q ? -1 : 1;
    }
    return x.length - y.length;
  }

  function cmpBig(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
  }

  function parseJson(text) {
    var i = 0;
    var n = text.length;
    var NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;

    function fail(what) {
      throw new Unreadable("not JSON: " + what + " (character " + i + ")");
    }
    function ws() {
      while (i < n) {
        var c = text.charCodeAt(i);
        if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
        else break;
      }
    }
    function startsWith(word) {
      return text.substr(i, word.length) === word;
    }
    function string() {
      i++; // the opening quote
      var out = "";
      for (;;) {
        if (i >= n) fail("unterminated string");
        var c = text.charCodeAt(i);
        if (c === 0x22) {
          i++;
          return out;
        }
        if (c < 0x20) fail("invalid control character in a string");
        if (c !== 0x5c) {
          var j = i;
          while (j < n) {
            var d = text.charCodeAt(j);
            if (d === 0x22 || d === 0x5c || d < 0x20) break;
            j++;
          }
          out += text.slice(i, j);
          i = j;
          continue;
        }
        var e = text.charAt(i + 1);
        var simple = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
        if (Object.prototype.hasOwnProperty.call(simple, e)) {
          out += simple[e];
          i += 2;
        } else if (e === "u") {
          var hex = text.substr(i + 2, 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("invalid \\uXXXX escape");
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
        } else {
          fail("invalid escape");
        }
      }
    }
    function value(depth) {
      if (depth > MAX_DEPTH) throw new Unreadable("not JSON: nested too deeply");
      ws();
      if (i >= n) fail("expecting value");
      var c = text.charAt(i);
      if (c === "{") return object(depth + 1);
      if (c === "[") return array(depth + 1);
      if (c === '"') return string();
      if (startsWith("null")) return (i += 4), null;
      if (startsWith("true")) return (i += 4), true;
      if (startsWith("false")) return (i += 5), false;
      var constants = ["NaN", "Infinity", "-Infinity"];
      for (var k = 0; k < constants.length; k++) {
        if (startsWith(constants[k])) throw new Unreadable(constants[k] + " is not a JSON number");
      }
      NUMBER.lastIndex = i;
      var m = NUMBER.exec(text);
      if (!m) fail("expecting value");
      i += m[0].length;
      if (m[1] !== undefined || m[2] !== undefined) return new PyFloat(Number(m[0]));
      if (m[0].replace("-", "").length > MAX_INT_DIGITS) {
        throw new Unreadable("not JSON: an integer of more than " + MAX_INT_DIGITS + " digits");
      }
      return BigInt(m[0]);
    }
    function object(depth) {
      i++;
      var out = new Map();
      ws();
      if (text.charAt(i) === "}") return i++, out;
      for (;;) {
        ws();
        if (text.charAt(i) !== '"') fail("expecting a property name in double quotes");
        var key = string();
        ws();
        if (text.charAt(i) !== ":") fail("expecting ':'");
        i++;
        var item = value(depth);
        if (out.has(key)) throw new Unreadable("the key " + strRepr(key) + " appears twice in one object");
        out.set(key, item);
        ws();
        var c = text.charAt(i);
        i++;
        if (c === "}") return out;
        if (c !== ",") i--, fail("expecting ',' delimiter");
      }
    }
    function array(depth) {
      i++;
      var out = [];
      ws();
      if (text.charAt(i) === "]") return i++, out;
      for (;;) {
        out.push(value(depth));
        ws();
        var c = text.charAt(i);
        i++;
        if (c === "]") return out;
        if (c !== ",") i--, fail("expecting ',' delimiter");
      }
    }

    var doc = value(0);
    ws();
    if (i < n) fail("extra data");
    return doc;
  }

  // --- Python's repr() of such values, for the texts that quote a value -----------------------

  function hexPad(cp, width) {
    var h = cp.toString(16);
    while (h.length < width) h = "0" + h;
    return h;
  }

  function strRepr(s) {
    var quote = s.indexOf("'") >= 0 && s.indexOf('"') < 0 ? '"' : "'";
    var out = quote;
    Array.from(s).forEach(function (ch) {
      var cp = ch.codePointAt(0);
      if (ch === quote || ch === "\\") out += "\\" + ch;
      else if (ch === "\t") out += "\\t";
      else if (ch === "\n") out += "\\n";
      else if (ch === "\r") out += "\\r";
      else if (cp < 0x20 || cp === 0x7f) out += "\\x" + hexPad(cp, 2);
      else if (cp < 0x7f || !UNPRINTABLE.test(ch)) out += ch;
      else if (cp <= 0xff) out += "\\x" + hexPad(cp, 2);
      else if (cp <= 0xffff) out += "\\u" + hexPad(cp, 4);
      else out += "\\U" + hexPad(cp, 8);
    });
    return out + quote;
  }

  function floatRepr(x) {
    if (Number.isNaN(x)) return "nan";
    if (x === Infinity) return "inf";
    if (x === -Infinity) return "-inf";
    var sign = x < 0 || Object.is(x, -0) ? "-" : "";
    var a = Math.abs(x);
    if (a === 0) return sign + "0.0";
    var parts = a.toExponential().split("e"); // the shortest digits that read back as a
    var digits = parts[0].replace(".", "");
    var decpt = parseInt(parts[1], 10) + 1; // a = 0.digits × 10**decpt
    if (decpt <= -4 || decpt > 16) {
      var exp = decpt - 1;
      var mantissa = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
      var e = String(Math.abs(exp));
      return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (e.length < 2 ? "0" + e : e);
    }
    if (decpt <= 0) return sign + "0." + "0".repeat(-decpt) + digits;
    if (decpt >= digits.length) return sign + digits + "0".repeat(decpt - digits.length) + ".0";
    return sign + digits.slice(0, decpt) + "." + digits.slice(decpt);
  }

  function pyRepr(v) {
    if (v === null) return "None";
    if (v === true) return "True";
    if (v === false) return "False";
    if (isInt(v)) return v.toString();
    if (v instanceof PyFloat) return floatRepr(v.value);
    if (typeof v === "string") return strRepr(v);
    if (Array.isArray(v)) return "[" + v.map(pyRepr).join(", ") + "]";
    var items = [];
    v.forEach(function (item, key) {
      items.push(strRepr(key) + ": " + pyRepr(item));
    });
    return "{" + items.join(", ") + "}";
  }

  // --- texts ----------------------------------------------------------------------------------

  function isPySpace(ch) {
    return PY_SPACE.indexOf(ch) >= 0;
  }

  function pySplit(s) {
    var words = [], word = "";
    for (var i = 0; i < s.length; i++) {
      var ch = s.charAt(i);
      if (isPySpace(ch)) {
        if (word) words.push(word);
        word = "";
      } else word += ch;
    }
    if (word) words.push(word);
    return words;
  }

  function canonicalText(text) {
    return pySplit(text.normalize("NFC")).join(" ");
  }

  function codeHex(ch) {
    return "U+" + hexPad(ch.codePointAt(0), 4).toUpperCase();
  }

  // Why a value is not a canonical seed or context: [reason, text, params] or null.
  function textProblem(value, emptyOk) {
    if (typeof value !== "string") return ["not_string", "is not a string", {}];
    if (!value && !emptyOk) return ["empty", "is empty", {}];
    var chars = Array.from(value);
    if (chars.length > MAX_TEXT) {
      return ["too_long", "is longer than " + MAX_TEXT + " characters", {}];
    }
    for (var i = 0; i < chars.length; i++) {
      if (chars[i] !== " " && BAD.test(chars[i])) {
        var code = codeHex(chars[i]);
        return ["bad_char", "holds the character " + code + ", which is not allowed", { char: code }];
      }
    }
    if (value !== canonicalText(value)) {
      return ["not_canonical", "is not canonical (NFC, single spaces, no space at either end)", {}];
    }
    return null;
  }

  // --- times ----------------------------------------------------------------------------------

  function daysInMonth(year, month) {
    if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
    return [4, 6, 9, 11].indexOf(month) >= 0 ? 30 : 31;
  }

  function daysFromCivil(y, m, d) {
    y -= m <= 2 ? 1 : 0;
    var era = Math.floor(y / 400);
    var yoe = y - era * 400;
    var doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
    var doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
    return era * 146097 + doe - 719468;
  }

  // The instant an ISO 8601 text names, in microseconds since 1970 UTC (BigInt), or null: what
  // datetime.fromisoformat accepts of the times verify.TIME lets through.
  function parseTime(value) {
    if (typeof value !== "string") return null;
    var m = TIME.exec(value);
    if (!m) return null;
    var num = function (s) {
      return parseInt(s, 10);
    };
    var year = num(m[1]), month = num(m[2]), day = num(m[3]);
    var hour = num(m[4]), minute = num(m[5]), second = num(m[6]);
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
    if (hour > 23 || minute > 59 || second > 59) return null;
    var offset = 0;
    if (m[8]) {
      offset = num(m[9]) * 60 + num(m[10]);
      if (offset >= 1440) return null;
      if (m[8] === "-") offset = -offset;
    }
    var micro = m[7] ? num((m[7] + "000").slice(0, 6)) : 0;
    var seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    return BigInt(seconds - offset * 60) * 1000000n + BigInt(micro);
  }

  // --- SHA-256 --------------------------------------------------------------------------------

  var encoder = new TextEncoder();

  function utf8(text) {
    return encoder.encode(text);
  }

  function toHex(bytes) {
    var out = "";
    for (var i = 0; i < bytes.length; i++) out += hexPad(bytes[i], 2);
    return out;
  }

  // Standard-library SHA-256 (FIPS 180-4), used only where WebCrypto is absent: browsers offer
  // crypto.subtle only to https pages and to the local machine, and a page of an isolated network
  // may be served over plain http.
  var K256 = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]);

  function sha256Plain(data) {
    var length = data.length;
    var padded = new Uint8Array(((length + 9 + 63) >> 6) << 6);
    padded.set(data);
    padded[length] = 0x80;
    var view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(length / 0x20000000));
    view.setUint32(padded.length - 4, (length << 3) >>> 0);
    var h = new Uint32Array([
      0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]);
    var w = new Uint32Array(64);
    for (var block = 0; block < padded.length; block += 64) {
      for (var t = 0; t < 16; t++) w[t] = view.getUint32(block + t * 4);
      for (t = 16; t < 64; t++) {
        var x = w[t - 15], y = w[t - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (t = 0; t < 64; t++) {
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var t1 = (k + S1 + ((e & f) ^ (~e & g)) + K256[t] + w[t]) >>> 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
        k = g; g = f; f = e; e = (d + t1) >>> 0; d = c; c = b; b = a; a = (t1 + t2) >>> 0;
      }
      h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
    }
    var out = new Uint8Array(32);
    var outView = new DataView(out.buffer);
    for (var i = 0; i < 8; i++) outView.setUint32(i * 4, h[i]);
    return out;
  }

  function hasWebCrypto() {
    return !!(global.crypto && global.crypto.subtle && global.crypto.subtle.digest);
  }

  // SHA-256 of each of ``messages`` (Uint8Arrays), in order.
  async function digests(messages, plain) {
    if (plain || !hasWebCrypto()) return messages.map(sha256Plain);
    var out = [];
    var CHUNK = 4096;
    for (var start = 0; start < messages.length; start += CHUNK) {
      var part = messages.slice(start, start + CHUNK).map(function (m) {
        return global.crypto.subtle.digest("SHA-256", m);
      });
      var done = await Promise.all(part);
      for (var i = 0; i < done.length; i++) out.push(new Uint8Array(done[i]));
    }
    return out;
  }

  // --- the method (docs/draw.md, es-sha256 version 1) ---------------------------------------

  function commitmentBytes(kind, context, k, quotas, population) {
    var lines = [FORMAT + "/1", "algorithm " + ALGORITHM + "/1", "kind " + kind, "context " + context, "k " + k];
    if (quotas) {
      Array.from(quotas.keys())
        .sort(cmpStr)
        .forEach(function (s) {
          lines.push("quota " + s + " " + quotas.get(s));
        });
    }
    var members = population.slice().sort(function (a, b) {
      return cmpBig(a.id, b.id);
    });
    lines.push("population " + members.length);
    members.forEach(function (m) {
      lines.push(m.id + " " + m.weight + " " + m.load + " " + (m.stratum === null ? "-" : m.stratum));
    });
    return utf8(lines.join("\n") + "\n");
  }

  // U of every member: the first 8 bytes of SHA-256(seed ":" commitment ":" id), plus 1.
  async function scores(seed, commitmentHex, population, plain) {
    var prefix = utf8(seed + ":" + commitmentHex + ":");
    var messages = population.map(function (m) {
      var id = utf8(m.id.toString());
      var message = new Uint8Array(prefix.length + id.length);
      message.set(prefix);
      message.set(id, prefix.length);
      return message;
    });
    var hashes = await digests(messages, plain);
    var u = new Map();
    population.forEach(function (m, i) {
      u.set(m.id, new DataView(hashes[i].buffer).getBigUint64(0) + 1n);
    });
    return u;
  }

  // The draw order of two picks: lower load first; then the larger key u**(1/w), compared as
  // U_a**(w_b/g) · 2**(64·w_a/g) against U_b**(w_a/g) · 2**(64·w_b/g); then the smaller id.
  function orderer() {
    var powers = new Map();
    function side(p, exponent, shift) {
      var key = p.id + "^" + exponent;
      var power = powers.get(key);
      if (power === undefined) {
        power = p.u ** exponent;
        powers.set(key, power);
      }
      return power << shift;
    }
    function gcd(a, b) {
      while (b) {
        var t = a % b;
        a = b;
        b = t;
      }
      return a;
    }
    return function compare(a, b) {
      if (a.load !== b.load) return a.load < b.load ? -1 : 1;
      var left, right;
      if (a.weight === b.weight) {
        left = a.u;
        right = b.u;
      } else {
        var g = gcd(a.weight, b.weight);
        var wa = a.weight / g, wb = b.weight / g;
        left = side(a, wb, 64n * wa);
        right = side(b, wa, 64n * wb);
      }
      if (left !== right) return left > right ? -1 : 1;
      return cmpBig(a.id, b.id);
    };
  }

  function merge(candidates, limit) {
    return candidates.slice().sort(orderer()).slice(0, Number(limit));
  }

  // The members drawn, in order: per class (stratum, load, weight) the first ``limit`` by U
  // descending then id ascending, then the candidates merged in draw order (verify.select).
  function select(u, population, k, quotas) {
    var classes = new Map();
    population.forEach(function (m) {
      var key = JSON.stringify([m.stratum, m.load.toString(), m.weight.toString()]);
      var found = classes.get(key);
      if (!found) {
        var limit = quotas === null ? k : quotas.has(m.stratum || "") ? quotas.get(m.stratum || "") : 0n;
        found = { limit: limit, picks: [] };
        classes.set(key, found);
      }
      found.picks.push({ id: m.id, weight: m.weight, load: m.load, stratum: m.stratum, u: u.get(m.id) });
    });
    var candidates = [];
    classes.forEach(function (c) {
      c.picks.sort(function (a, b) {
        return a.u !== b.u ? (a.u > b.u ? -1 : 1) : cmpBig(a.id, b.id);
      });
      candidates = candidates.concat(c.picks.slice(0, Number(c.limit)));
    });
    if (quotas === null) return merge(candidates, k);
    var chosen = [];
    Array.from(quotas.keys())
      .sort(cmpStr)
      .forEach(function (stratum) {
        var mine = candidates.filter(function (p) {
          return (p.stratum || "") === stratum;
        });
        chosen = chosen.concat(merge(mine, quotas.get(stratum)));
      });
    return chosen;
  }

  // --- checks (verify.py, in the same order and words) ---------------------------------------

  function problem(code, text, params) {
    return { code: code, text: text, params: params || {} };
  }

  function memberProblem(m) {
    if (!isInt(m.id) || m.id < 0n || m.id > MAX_ID) {
      return ["member_id", "id must be an integer from 0 to " + MAX_ID];
    }
    if (!isInt(m.weight) || m.weight < 1n || m.weight > MAX_WEIGHT) {
      return ["member_weight", "weight must be an integer from 1 to " + MAX_WEIGHT];
    }
    if (!isInt(m.load) || m.load < 0n || m.load > MAX_LOAD) {
      return ["member_load", "load must be an integer from 0 to " + MAX_LOAD];
    }
    if (m.stratum !== null && !(typeof m.stratum === "string" && STRATUM.test(m.stratum))) {
      return ["member_stratum", "stratum must be 1–64 letters, digits, '_', '.', '-', first a letter or digit"];
    }
    return null;
  }

  function populationProblems(population) {
    var problems = [];
    var seen = new Set();
    for (var index = 0; index < population.length; index++) {
      var member = population[index];
      var found = memberProblem(member);
      var where = "population[" + index + "]: ";
      if (found) {
        problems.push(problem(found[0], where + found[1], { index: String(index) }));
      } else if (seen.has(member.id)) {
        problems.push(
          problem("member_duplicate", where + "id " + member.id + " appears more than once", {
            index: String(index),
            id: member.id.toString(),
          })
        );
      } else {
        seen.add(member.id);
      }
      if (problems.length >= LISTED) break;
    }
    if (!population.length) problems.push(problem("population_empty", "the population is empty"));
    return problems;
  }

  function parameterProblems(population, k, quotas) {
    var P = function (code, text, params) {
      return problem(code, "parameters: " + text, params);
    };
    if (quotas === null) {
      if (population.some(function (m) { return m.stratum !== null; })) {
        return [P("param_strata_without_quotas", "members have strata but the draw has no quotas")];
      }
      if (k > BigInt(population.length)) {
        return [
          P("param_k_too_large", "k is " + k + " but the population has " + population.length + " members", {
            k: k.toString(),
            size: String(population.length),
          }),
        ];
      }
      return [];
    }
    var problems = [];
    if (!quotas.size) {
      problems.push(P("param_quotas_empty", "quotas must name at least one stratum (or be null)"));
    }
    var sizes = new Map();
    for (var i = 0; i < population.length; i++) {
      var m = population[i];
      if (m.stratum === null) {
        return [P("param_member_without_stratum", "the draw has quotas but some members have no stratum")];
      }
      sizes.set(m.stratum, (sizes.get(m.stratum) || 0) + 1);
    }
    Array.from(sizes.keys())
      .filter(function (s) { return !quotas.has(s); })
      .sort(cmpStr)
      .forEach(function (s) {
        problems.push(P("param_stratum_without_quota", "stratum " + s + " has members but no quota", { stratum: s }));
      });
    var total = 0n;
    Array.from(quotas.keys())
      .sort(cmpStr)
      .forEach(function (s) {
        var quota = quotas.get(s);
        total += quota;
        var size = sizes.get(s) || 0;
        if (!STRATUM.test(s)) {
          problems.push(P("param_quota_name", "quota for " + strRepr(s) + ": not a stratum name", { name: strRepr(s) }));
        } else if (quota < 0n) {
          problems.push(P("param_quota_negative", "quota for " + s + ": must be an integer of 0 or more", { stratum: s }));
        } else if (quota > BigInt(size)) {
          problems.push(
            P("param_quota_too_large", "quota for " + s + " is " + quota + " but the stratum has " + size + " members", {
              stratum: s,
              quota: quota.toString(),
              size: String(size),
            })
          );
        }
      });
    if (!problems.length && total !== k) {
      problems.push(
        P("param_quota_sum", "k is " + k + " but the quotas add up to " + total, { k: k.toString(), sum: total.toString() })
      );
    }
    return problems;
  }

  function readParameters(value, problems) {
    if (!isDict(value) || !sameKeys(value, ["k", "quotas"])) {
      problems.push(problem("parameters_shape", "parameters: must be an object with exactly k and quotas"));
      return [null, null];
    }
    var k = value.get("k"), quotas = value.get("quotas");
    if (!isInt(k) || k < 1n) {
      problems.push(problem("k_not_positive", "parameters: k must be a positive integer"));
      k = null;
    }
    if (quotas !== null && !(isDict(quotas) && Array.from(quotas.values()).every(isInt))) {
      problems.push(problem("quotas_shape", "parameters: quotas must be null or an object of integers"));
      return [k, null];
    }
    return [k, quotas];
  }

  function readPopulation(value, problems) {
    if (!Array.isArray(value)) {
      problems.push(problem("population_not_list", "population: not a list"));
      return null;
    }
    var members = [], bad = [];
    value.forEach(function (item, index) {
      var where = "population[" + index + "]: ";
      var params = { index: String(index) };
      var keysOk =
        isDict(item) &&
        item.has("id") &&
        item.has("weight") &&
        Array.from(item.keys()).every(function (key) { return MEMBER_KEYS.indexOf(key) >= 0; });
      if (!keysOk) {
        bad.push(problem("member_shape", where + "must be an object with id, weight[, stratum, load]", params));
        return;
      }
      if (item.has("stratum") && item.get("stratum") === null) {
        bad.push(problem("member_stratum_null", where + "stratum is null (leave it out instead)", params));
        return;
      }
      members.push({
        id: item.get("id"),
        weight: item.get("weight"),
        stratum: get(item, "stratum"),
        load: item.has("load") ? item.get("load") : 0n,
      });
    });
    if (!bad.length) bad = populationProblems(members);
    if (bad.length) {
      Array.prototype.push.apply(problems, bad.slice(0, LISTED));
      if (bad.length > LISTED) {
        problems.push(problem("population_more", "population: more malformed members are not listed"));
      }
      return null;
    }
    for (var i = 0; i + 1 < members.length; i++) {
      if (members[i].id > members[i + 1].id) {
        problems.push(problem("population_order", "population: members are not in ascending order of id"));
        break;
      }
    }
    return members;
  }

  function readSeed(value, problems) {
    if (value === null) {
      problems.push(problem("seed_missing", "seed: missing (the draw is committed but not made yet)"));
      return null;
    }
    if (!isDict(value) || !sameKeys(value, SEED_KEYS)) {
      problems.push(problem("seed_shape", "seed: must be an object with value, source, entered_by, entered_at"));
      return null;
    }
    var seed = value.get("value");
    var found = textProblem(seed, false);
    if (found) {
      problems.push(problem("seed_value_" + found[0], "seed: the value " + found[1], found[2]));
      if (typeof seed !== "string" || !seed || found[0] === "bad_char") return null;
    }
    ["source", "entered_by"].forEach(function (field) {
      var text = value.get(field);
      if (typeof text !== "string" || !pySplit(text).length) {
        problems.push(problem("seed_field", "seed: " + field + " must be a non-empty text", { field: field }));
      }
    });
    var enteredAt = parseTime(value.get("entered_at"));
    if (enteredAt === null) {
      problems.push(problem("seed_entered_at", "seed: entered_at is not an ISO 8601 time with its UTC offset"));
    }
    return { value: seed, enteredAt: enteredAt };
  }

  function readResult(value, problems) {
    if (value === null) {
      problems.push(problem("result_missing", "result: missing"));
      return null;
    }
    if (!Array.isArray(value)) {
      problems.push(problem("result_not_list", "result: not a list"));
      return null;
    }
    var entries = [];
    for (var index = 0; index < value.length; index++) {
      var item = value[index];
      if (!isDict(item) || !sameKeys(item, ["id", "u"]) || !isInt(item.get("id")) || typeof item.get("u") !== "string") {
        problems.push(
          problem("result_entry", "result[" + index + "]: must be an object with an integer id and a text u", {
            index: String(index),
          })
        );
        return null;
      }
      entries.push({ id: item.get("id"), u: item.get("u") });
    }
    return entries;
  }

  function resultProblems(result, expected, population, u) {
    var problems = [];
    var want = expected.map(function (p) { return p.id; });
    var got = result.map(function (r) { return r.id; });
    if (got.length !== want.length) {
      problems.push(
        problem("result_count", "result: " + got.length + " drawn, but the draw takes " + want.length, {
          got: String(got.length),
          want: String(want.length),
        })
      );
    }
    var counts = new Map();
    got.forEach(function (id) {
      counts.set(id, (counts.get(id) || 0) + 1);
    });
    counts.forEach(function (times, id) {
      if (times > 1) {
        problems.push(
          problem("result_duplicate", "result: id " + id + " appears " + times + " times", {
            id: id.toString(),
            times: String(times),
          })
        );
      }
    });
    result.forEach(function (entry, index) {
      var where = "result[" + index + "]: ";
      if (!u.has(entry.id)) {
        problems.push(
          problem("result_not_member", where + "id " + entry.id + " is not in the population", {
            index: String(index),
            id: entry.id.toString(),
          })
        );
        return;
      }
      var trueU = u.get(entry.id).toString();
      if (entry.u !== trueU) {
        problems.push(
          problem("result_u", where + "u of id " + entry.id + " is " + entry.u + ", recomputed " + trueU, {
            index: String(index),
            id: entry.id.toString(),
            u: entry.u,
            expected: trueU,
          })
        );
      }
    });
    var same = got.length === want.length && got.every(function (id, i) { return id === want[i]; });
    if (!same) {
      var sortedGot = got.slice().sort(cmpBig), sortedWant = want.slice().sort(cmpBig);
      var permuted =
        sortedGot.length === sortedWant.length &&
        sortedGot.every(function (id, i) { return id === sortedWant[i]; });
      if (permuted) {
        var list = want.join(", ");
        problems.push(
          problem("result_order", "result: the right ids in the wrong order; expected " + list, { expected: list })
        );
      } else {
        for (var index = 0; index < Math.min(got.length, want.length); index++) {
          if (got[index] !== want[index]) {
            problems.push(
              problem("result_id", "result[" + index + "]: id " + got[index] + ", expected " + want[index], {
                index: String(index),
                id: got[index].toString(),
                expected: want[index].toString(),
              })
            );
          }
        }
        var missing = want.filter(function (id) { return !counts.has(id); }).join(", ");
        if (missing) {
          problems.push(
            problem("result_not_drawn", "result: not drawn though they should be: " + missing, { ids: missing })
          );
        }
      }
    }
    return problems;
  }

  function text(value) {
    return typeof value === "string" ? value : null;
  }

  function summaryOf(doc) {
    var parameters = get(doc, "parameters");
    var seed = get(doc, "seed");
    var population = get(doc, "population");
    var k = isDict(parameters) ? get(parameters, "k") : null;
    return {
      kind: text(get(doc, "kind")),
      context: text(get(doc, "context")),
      k: isInt(k) ? k.toString() : null,
      population: Array.isArray(population) ? population.length : null,
      commitment: text(get(doc, "commitment")),
      committed_at: text(get(doc, "committed_at")),
      seed: isDict(seed) ? text(get(seed, "value")) : null,
      source: isDict(seed) ? text(get(seed, "source")) : null,
      entered_by: isDict(seed) ? text(get(seed, "entered_by")) : null,
      entered_at: isDict(seed) ? text(get(seed, "entered_at")) : null,
    };
  }

  // What is wrong with a draw file (parsed as parseJson does); never throws.
  async function verifyDocument(doc, options) {
    var plain = !!(options && options.plainSha256);
    var report = { valid: false, unreadable: null, problems: [], commitment: null, result: null, members: null, summary: null };
    if (!isDict(doc)) {
      report.problems = [problem("not_object", "the file does not hold a JSON object")];
      return report;
    }
    report.summary = summaryOf(doc);
    var problems = (report.problems = []);
    Array.from(doc.keys())
      .filter(function (key) { return TOP_KEYS.indexOf(key) < 0; })
      .sort(cmpStr)
      .forEach(function (key) {
        problems.push(problem("unknown_field", "unknown field " + strRepr(key), { field: strRepr(key) }));
      });
    var format = get(doc, "format");
    if (format !== FORMAT) {
      problems.push(
        problem("format", "format: expected " + strRepr(FORMAT) + ", found " + pyRepr(format), { found: pyRepr(format) })
      );
      return report;
    }
    var version = get(doc, "version");
    if (version !== 1n) {
      problems.push(
        problem("version", "version " + pyRepr(version) + " is not known (this verifier: 1)", { found: pyRepr(version) })
      );
      return report;
    }
    var algorithm = get(doc, "algorithm");
    if (!(isDict(algorithm) && sameKeys(algorithm, ["name", "version"]) && algorithm.get("name") === ALGORITHM && algorithm.get("version") === 1n)) {
      problems.push(
        problem(
          "algorithm",
          "algorithm " + pyRepr(algorithm) + " is not known (this verifier: " + ALGORITHM + " version 1)",
          { found: pyRepr(algorithm) }
        )
      );
      return report;
    }
    var kind = get(doc, "kind");
    if (typeof kind !== "string" || KINDS.indexOf(kind) < 0) {
      problems.push(problem("kind", "kind: " + pyRepr(kind) + " is not one of " + KINDS.join(", "), { found: pyRepr(kind) }));
    }
    var context = get(doc, "context");
    var contextProblem = textProblem(context, true);
    if (contextProblem) {
      problems.push(problem("context_" + contextProblem[0], "context " + contextProblem[1], contextProblem[2]));
    }
    var parameters = readParameters(get(doc, "parameters"), problems);
    var k = parameters[0], quotas = parameters[1];
    var population = readPopulation(get(doc, "population"), problems);
    var seed = readSeed(get(doc, "seed"), problems);
    var committed = get(doc, "commitment");
    if (typeof committed !== "string" || !HEX64.test(committed)) {
      problems.push(problem("commitment_format", "commitment: not 64 lowercase hexadecimal digits"));
    }
    var committedAt = parseTime(get(doc, "committed_at"));
    if (committedAt === null) {
      problems.push(problem("committed_at", "committed_at: not an ISO 8601 time with its UTC offset"));
    }
    var result = readResult(get(doc, "result"), problems);
    var unusable = problems.some(function (p) {
      return /^(kind|context|parameters)/.test(p.text);
    });
    if (population === null || k === null || typeof kind !== "string" || typeof context !== "string" || unusable) {
      return report;
    }
    var wrong = parameterProblems(population, k, quotas);
    if (wrong.length) {
      Array.prototype.push.apply(problems, wrong);
      return report;
    }
    var expected = toHex(new Uint8Array((await digests([commitmentBytes(kind, context, k, quotas, population)], plain))[0]));
    report.commitment = expected;
    if (typeof committed === "string" && committed !== expected) {
      problems.push(
        problem(
          "commitment_mismatch",
          "commitment: the file says " + committed + ", the population and parameters give " + expected,
          { found: committed, expected: expected }
        )
      );
    }
    if (seed === null || result === null) return report;
    if (committedAt !== null && seed.enteredAt !== null && seed.enteredAt <= committedAt) {
      problems.push(problem("seed_before_commitment", "seed: entered at or before the commitment (it must come after)"));
    }
    var u = await scores(seed.value, expected, population, plain);
    var picks = select(u, population, k, quotas);
    report.result = picks.map(function (p) {
      return { id: p.id.toString(), u: p.u.toString() };
    });
    report.members = population.map(function (m) {
      return { id: m.id.toString(), u: u.get(m.id).toString() };
    });
    Array.prototype.push.apply(problems, resultProblems(result, picks, population, u));
    return report;
  }

  function finish(report) {
    report.valid = report.unreadable === null && report.problems.length === 0;
    return report;
  }

  function unreadable(reason) {
    return { valid: false, unreadable: reason, problems: [], commitment: null, result: null, members: null, summary: null };
  }

  async function bytesOf(input) {
    if (input instanceof Uint8Array) return input;
    if (input instanceof ArrayBuffer) return new Uint8Array(input);
    return new Uint8Array(await input.arrayBuffer());
  }

  // Verify a draw file: a File or Blob, its bytes, or its text. Never rejects.
  async function verify(input, options) {
    try {
      var source = input;
      if (typeof source === "string") {
        source = source.replace(/^\ufeff/, ""); // pasted as a file would be read
      } else {
        try {
          // UTF-8, a leading byte-order mark dropped (Python's "utf-8-sig")
          source = new TextDecoder("utf-8", { fatal: true }).decode(await bytesOf(input));
        } catch (e) {
          return unreadable("not UTF-8 text");
        }
      }
      var doc;
      try {
        doc = parseJson(source);
      } catch (e) {
        if (e instanceof Unreadable) return unreadable(e.reason);
        throw e;
      }
      return finish(await verifyDocument(doc, options));
    } catch (e) {
      return unreadable("internal error: " + (e && e.message ? e.message : String(e)));
    }
  }

  // A problem in the page's language: its template, with %(name)s replaced by its parameters.
  function render(p, templates) {
    var template = templates && templates[p.code];
    if (!template) return p.text;
    return template.replace(/%\((\w+)\)s/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(p.params, name) ? p.params[name] : all;
    });
  }

  global.OversightDraw = {
    verify: verify,
    render: render,
    // for tests: the pieces, so they can be compared with verify.py's one by one
    internals: {
      parseJson: parseJson,
      pyRepr: pyRepr,
      textProblem: textProblem,
      canonicalText: canonicalText,
      parseTime: parseTime,
      sha256Plain: sha256Plain,
      hasWebCrypto: hasWebCrypto,
    },
  };

  // --- the page -------------------------------------------------------------------------------

  function element(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content !== undefined && content !== null) node.textContent = content;
    return node;
  }

  function setUp() {
    var root = document.getElementById("draw-verify");
    if (!root) return;
    var strings = JSON.parse(document.getElementById("draw-verify-strings").textContent);
    var fileInput = root.querySelector("[data-draw-file]");
    var pasted = root.querySelector("[data-draw-text]");
    var button = root.querySelector("[data-draw-verify]");
    var output = root.querySelector("[data-draw-result]");
    var busy = false;

    function show(report) {
      output.replaceChildren();
      output.hidden = false;
      output.dataset.valid = report.valid ? "true" : "false";
      var verdict = element(
        "div",
        "alert " + (report.valid ? "alert-success" : "alert-danger"),
      );
      verdict.setAttribute("data-verdict", report.valid ? "valid" : "invalid");
      verdict.appendChild(element("strong", "", report.valid ? strings.valid : strings.invalid));
      verdict.appendChild(document.createTextNode(" " + (report.valid ? strings.valid_means : report.unreadable !== null ? strings.unreadable : strings.invalid_means)));
      output.appendChild(verdict);
      if (report.unreadable !== null) {
        var why = element("p");
        why.appendChild(element("code", "", report.unreadable)).setAttribute("data-ident", "");
        output.appendChild(why);
      }
      if (report.problems.length) {
        var list = element("ol", "draw-problems");
        report.problems.forEach(function (p) {
          var item = element("li");
          item.setAttribute("data-code", p.code);
          item.appendChild(element("span", "", render(p, strings.problems)));
          var line = element("div", "small text-body-secondary");
          // verify.py's own words, to compare with its output (not translated: data-ident)
          line.appendChild(element("code", "draw-problem-text", p.text)).setAttribute("data-ident", "");
          item.appendChild(line);
          list.appendChild(item);
        });
        output.appendChild(list);
      }
      var s = report.summary;
      if (s) {
        var table = element("table", "table table-sm table-cards mt-3");
        var body = element("tbody");
        var rows = [
          ["kind", s.kind && strings.kinds[s.kind] ? strings.kinds[s.kind] : s.kind],
          ["context", s.context],
          ["k", s.k],
          ["population", s.population === null ? null : String(s.population)],
          ["commitment", s.commitment],
          ["committed_at", s.committed_at],
          ["seed", s.seed],
          ["source", s.source],
          ["entered_by", s.entered_by],
          ["entered_at", s.entered_at],
        ];
        rows.forEach(function (row) {
          if (row[1] === null || row[1] === undefined) return;
          var tr = element("tr");
          tr.appendChild(element("th", "fw-normal text-body-secondary", strings.fields[row[0]]));
          var td = element("td", "mono");
          td.setAttribute("data-label", strings.fields[row[0]]);
          td.appendChild(element("span", "", row[1]));
          tr.appendChild(td);
          body.appendChild(tr);
        });
        table.appendChild(body);
        output.appendChild(table);
      }
      if (report.result && report.result.length) {
        output.appendChild(element("h3", "h6 mt-3", strings.recomputed));
        var drawn = element("ol", "draw-recomputed mono small");
        report.result.forEach(function (p) {
          var li = element("li");
          li.appendChild(element("span", "", p.id));
          li.appendChild(document.createTextNode(" · U = "));
          li.appendChild(element("span", "", p.u));
          drawn.appendChild(li);
        });
        output.appendChild(drawn);
      }
    }

    button.addEventListener("click", async function () {
      if (busy) return;
      var file = fileInput.files && fileInput.files[0];
      var input = file ? file : pasted.value;
      if (!file && !pasted.value.trim()) {
        output.hidden = false;
        output.dataset.valid = "";
        output.replaceChildren(element("div", "alert alert-warning", strings.nothing));
        return;
      }
      busy = true;
      button.disabled = true;
      output.dataset.valid = "";
      output.hidden = false;
      output.replaceChildren(element("p", "text-body-secondary", strings.working));
      try {
        show(await verify(input));
      } finally {
        busy = false;
        button.disabled = false;
      }
    });
    // A file chosen replaces what was pasted, and pasting clears the file: one input at a time.
    fileInput.addEventListener("change", function () {
      if (fileInput.files && fileInput.files.length) pasted.value = "";
    });
    pasted.addEventListener("input", function () {
      if (pasted.value) fileInput.value = "";
    });
    root.setAttribute("data-ready", "true");
  }

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
    else setUp();
  }
})(typeof window !== "undefined" ? window : globalThis);
