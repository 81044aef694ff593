/* SPDX-License-Identifier: ISC (see LICENSE) */
/*
 * translit.c: turning Unicode text into the ASCII that slugs are made of.
 *
 * The original pipeline built file names with python-slugify, which runs
 * each title through a compatibility decomposition (NFKD) and then a
 * character-by-character ASCII transliteration.  Reproducing its file
 * names needs the same spelling for the characters titles actually
 * contain, so this file carries a table for the Latin-1 Supplement, Latin
 * Extended-A and -B, Greek, Latin Extended Additional, general
 * punctuation, super- and subscripts, currency signs, letterlike symbols,
 * number forms, the Latin ligatures and the fullwidth ASCII forms.  Each
 * entry is already the composition of both steps: the decomposition comes
 * from the Unicode Character Database, the transliteration of what is
 * left from the conventional spellings ("ß" is "ss", "€" is "EUR").  Any
 * other character has no spelling and disappears, as it did there.
 *
 * The same file holds the HTML 4 named entities, which slugs decode too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "compat.h"
#include "translit.h"

struct translit_entity {
	const char	*te_name;
	uint32_t	 te_cp;
};

/*
 * Per block: the ASCII spelling of every code point, and one letter per
 * code point saying what its decomposition leaves once non-ASCII parts
 * are dropped instead of spelled (translit_compat()):
 *   '.'  no decomposition: nothing but a separator
 *   'a'  the decomposition is (equivalent to) the spelling itself
 *   'm'  a letter plus combining marks: the spelling, then a separator
 *   'x'  one of the few exceptions listed in compat_exceptions[]
 */

/* U+00A0 to U+024F */
static const char *const latin_ascii[] = {
	/* 00A0 */ " ", "!", "C/", "PS", "$?", "Y=", "|", "SS",
	/* 00A8 */ " ", "(c)", "a", "<<", "!", "", "(r)", " ",
	/* 00B0 */ "deg", "+-", "2", "3", " ", "m", "P", "*",
	/* 00B8 */ " ", "1", "o", ">>", "1/4", "1/2", "3/4", "?",
	/* 00C0 */ "A", "A", "A", "A", "A", "A", "AE", "C",
	/* 00C8 */ "E", "E", "E", "E", "I", "I", "I", "I",
	/* 00D0 */ "D", "N", "O", "O", "O", "O", "O", "x",
	/* 00D8 */ "O", "U", "U", "U", "U", "Y", "Th", "ss",
	/* 00E0 */ "a", "a", "a", "a", "a", "a", "ae", "c",
	/* 00E8 */ "e", "e", "e", "e", "i", "i", "i", "i",
	/* 00F0 */ "d", "n", "o", "o", "o", "o", "o", "/",
	/* 00F8 */ "o", "u", "u", "u", "u", "y", "th", "y",
	/* 0100 */ "A", "a", "A", "a", "A", "a", "C", "c",
	/* 0108 */ "C", "c", "C", "c", "C", "c", "D", "d",
	/* 0110 */ "D", "d", "E", "e", "E", "e", "E", "e",
	/* 0118 */ "E", "e", "E", "e", "G", "g", "G", "g",
	/* 0120 */ "G", "g", "G", "g", "H", "h", "H", "h",
	/* 0128 */ "I", "i", "I", "i", "I", "i", "I", "i",
	/* 0130 */ "I", "i", "IJ", "ij", "J", "j", "K", "k",
	/* 0138 */ "k", "L", "l", "L", "l", "L", "l", "L*",
	/* 0140 */ "l*", "L", "l", "N", "n", "N", "n", "N",
	/* 0148 */ "n", "'n", "ng", "NG", "O", "o", "O", "o",
	/* 0150 */ "O", "o", "OE", "oe", "R", "r", "R", "r",
	/* 0158 */ "R", "r", "S", "s", "S", "s", "S", "s",
	/* 0160 */ "S", "s", "T", "t", "T", "t", "T", "t",
	/* 0168 */ "U", "u", "U", "u", "U", "u", "U", "u",
	/* 0170 */ "U", "u", "U", "u", "W", "w", "Y", "y",
	/* 0178 */ "Y", "Z", "z", "Z", "z", "Z", "z", "s",
	/* 0180 */ "b", "B", "B", "b", "6", "6", "O", "C",
	/* 0188 */ "c", "D", "D", "D", "d", "d", "3", "@",
	/* 0190 */ "E", "F", "f", "G", "G", "hv", "I", "I",
	/* 0198 */ "K", "k", "l", "l", "W", "N", "n", "O",
	/* 01A0 */ "O", "o", "OI", "oi", "P", "p", "YR", "2",
	/* 01A8 */ "2", "SH", "sh", "t", "T", "t", "T", "U",
	/* 01B0 */ "u", "Y", "V", "Y", "y", "Z", "z", "ZH",
	/* 01B8 */ "ZH", "zh", "zh", "2", "5", "5", "ts", "w",
	/* 01C0 */ "|", "||", "|=", "!", "DZ", "Dz", "dz", "LJ",
	/* 01C8 */ "Lj", "lj", "NJ", "Nj", "nj", "A", "a", "I",
	/* 01D0 */ "i", "O", "o", "U", "u", "U", "u", "U",
	/* 01D8 */ "u", "U", "u", "U", "u", "@", "A", "a",
	/* 01E0 */ "A", "a", "AE", "ae", "G", "g", "G", "g",
	/* 01E8 */ "K", "k", "O", "o", "O", "o", "ZH", "Z",
	/* 01F0 */ "j", "DZ", "Dz", "dz", "G", "g", "HV", "W",
	/* 01F8 */ "N", "n", "A", "a", "AE", "ae", "O", "o",
	/* 0200 */ "A", "a", "A", "a", "E", "e", "E", "e",
	/* 0208 */ "I", "i", "I", "i", "O", "o", "O", "o",
	/* 0210 */ "R", "r", "R", "r", "U", "u", "U", "u",
	/* 0218 */ "S", "s", "T", "t", "Y", "y", "H", "h",
	/* 0220 */ "N", "d", "OU", "ou", "Z", "z", "A", "a",
	/* 0228 */ "E", "e", "O", "o", "O", "o", "O", "o",
	/* 0230 */ "O", "o", "Y", "y", "l", "n", "t", "j",
	/* 0238 */ "db", "qp", "A", "C", "c", "L", "T", "s",
	/* 0240 */ "z", "", "", "B", "U", "^", "E", "e",
	/* 0248 */ "J", "j", "q", "q", "R", "r", "Y", "y",
};
static const char latin_kind[] =
    "a.........a.......aa.....aa.aaa.mmmmmm.mmmmmmmmm.mmmmmm..mmmmm.."
    "mmmmmm.mmmmmmmmm.mmmmmm..mmmmm.mmmmmmmmmmmmmmmmm..mmmmmmmmmmmmmm"
    "mmmmmm..mmmmmmmmm.aammmm.mmmmmmaa..mmmmmmx..mmmmmm..mmmmmmmmmmmm"
    "mmmmmm..mmmmmmmmmmmmmmmmmmmmmmma................................"
    "mm.............mm...................mmmaaaaaammmmmmmmmmmmmmmm.mm"
    "mm....mmmmmmmm..maaamm..mmmm....mmmmmmmmmmmmmmmmmmmmmmmmmmmm..mm"
    "......mmmmmmmmmmmmmm............................";

/* U+0370 to U+03FF */
static const char *const greek_ascii[] = {
	/* 0370 */ "", "", "", "", "'", ",", "", "",
	/* 0378 */ "", "", " ", "", "", "", ";", "",
	/* 0380 */ "", "", "", "", " ", " ", "A", "*",
	/* 0388 */ "E", "E", "I", "", "O", "", "U", "O",
	/* 0390 */ "i", "A", "B", "G", "D", "E", "Z", "E",
	/* 0398 */ "Th", "I", "K", "L", "M", "N", "Ks", "O",
	/* 03A0 */ "P", "R", "", "S", "T", "U", "Ph", "Kh",
	/* 03A8 */ "Ps", "O", "I", "U", "a", "e", "e", "i",
	/* 03B0 */ "u", "a", "b", "g", "d", "e", "z", "e",
	/* 03B8 */ "th", "i", "k", "l", "m", "n", "x", "o",
	/* 03C0 */ "p", "r", "s", "s", "t", "u", "ph", "kh",
	/* 03C8 */ "ps", "o", "i", "u", "o", "u", "o", "",
	/* 03D0 */ "b", "th", "U", "U", "U", "ph", "p", "&",
	/* 03D8 */ "", "", "St", "st", "W", "w", "Q", "q",
	/* 03E0 */ "Sp", "sp", "Sh", "sh", "F", "f", "Kh", "kh",
	/* 03E8 */ "H", "h", "G", "g", "CH", "ch", "Ti", "ti",
	/* 03F0 */ "k", "r", "s", "j", "Th", "e", "", "",
	/* 03F8 */ "", "S", "", "", "", "", "", "",
};
static const char greek_kind[] =
    "..............a................................................."
    "................................................................"
    "................";

/* U+1E00 to U+1EFF */
static const char *const latext_ascii[] = {
	/* 1E00 */ "A", "a", "B", "b", "B", "b", "B", "b",
	/* 1E08 */ "C", "c", "D", "d", "D", "d", "D", "d",
	/* 1E10 */ "D", "d", "D", "d", "E", "e", "E", "e",
	/* 1E18 */ "E", "e", "E", "e", "E", "e", "F", "f",
	/* 1E20 */ "G", "g", "H", "h", "H", "h", "H", "h",
	/* 1E28 */ "H", "h", "H", "h", "I", "i", "I", "i",
	/* 1E30 */ "K", "k", "K", "k", "K", "k", "L", "l",
	/* 1E38 */ "L", "l", "L", "l", "L", "l", "M", "m",
	/* 1E40 */ "M", "m", "M", "m", "N", "n", "N", "n",
	/* 1E48 */ "N", "n", "N", "n", "O", "o", "O", "o",
	/* 1E50 */ "O", "o", "O", "o", "P", "p", "P", "p",
	/* 1E58 */ "R", "r", "R", "r", "R", "r", "R", "r",
	/* 1E60 */ "S", "s", "S", "s", "S", "s", "S", "s",
	/* 1E68 */ "S", "s", "T", "t", "T", "t", "T", "t",
	/* 1E70 */ "T", "t", "U", "u", "U", "u", "U", "u",
	/* 1E78 */ "U", "u", "U", "u", "V", "v", "V", "v",
	/* 1E80 */ "W", "w", "W", "w", "W", "w", "W", "w",
	/* 1E88 */ "W", "w", "X", "x", "X", "x", "Y", "y",
	/* 1E90 */ "Z", "z", "Z", "z", "Z", "z", "h", "t",
	/* 1E98 */ "w", "y", "a`", "s", "", "", "Ss", "",
	/* 1EA0 */ "A", "a", "A", "a", "A", "a", "A", "a",
	/* 1EA8 */ "A", "a", "A", "a", "A", "a", "A", "a",
	/* 1EB0 */ "A", "a", "A", "a", "A", "a", "A", "a",
	/* 1EB8 */ "E", "e", "E", "e", "E", "e", "E", "e",
	/* 1EC0 */ "E", "e", "E", "e", "E", "e", "E", "e",
	/* 1EC8 */ "I", "i", "I", "i", "O", "o", "O", "o",
	/* 1ED0 */ "O", "o", "O", "o", "O", "o", "O", "o",
	/* 1ED8 */ "O", "o", "O", "o", "O", "o", "O", "o",
	/* 1EE0 */ "O", "o", "O", "o", "U", "u", "U", "u",
	/* 1EE8 */ "U", "u", "U", "u", "U", "u", "U", "u",
	/* 1EF0 */ "U", "u", "Y", "y", "Y", "y", "Y", "y",
	/* 1EF8 */ "Y", "y", "", "", "", "", "", "",
};
static const char latext_kind[] =
    "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
    "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
    "mmmmmmmmmmmmmmmmmmmmmmmmmmam....mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm"
    "mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmm......";

/* U+2000 to U+218F */
static const char *const punct_ascii[] = {
	/* 2000 */ " ", " ", " ", " ", " ", " ", " ", " ",
	/* 2008 */ " ", " ", " ", " ", "", "", "", "",
	/* 2010 */ "-", "-", "-", "-", "--", "--", "||", " ",
	/* 2018 */ "'", "'", ",", "'", "\"", "\"", ",,", "\"",
	/* 2020 */ "+", "++", "*", "*>", ".", "..", "...", ".",
	/* 2028 */ "\n", "\n\n", "", "", "", "", "", " ",
	/* 2030 */ "%0", "%00", "'", "''", "'''", "`", "``", "```",
	/* 2038 */ "^", "<", ">", "*", "!!", "!?", " ", "_",
	/* 2040 */ "-", "^", "***", "--", "/", "-[", "]-", "??",
	/* 2048 */ "?!", "!?", "&", "PP", "(]", "[)", "*", "",
	/* 2050 */ "", "", "%", "~", "", "", "", "''''",
	/* 2058 */ "", "", "", "", "", "", "", " ",
	/* 2060 */ "", "", "", "", "", "", "", "",
	/* 2068 */ "", "", "", "", "", "", "", "",
	/* 2070 */ "0", "i", "", "", "4", "5", "6", "7",
	/* 2078 */ "8", "9", "+", "-", "=", "(", ")", "n",
	/* 2080 */ "0", "1", "2", "3", "4", "5", "6", "7",
	/* 2088 */ "8", "9", "+", "-", "=", "(", ")", "",
	/* 2090 */ "a", "e", "o", "x", "@", "h", "k", "l",
	/* 2098 */ "m", "n", "p", "s", "t", "", "", "",
	/* 20A0 */ "ECU", "CL", "Cr", "FF", "L", "mil", "N", "Pts",
	/* 20A8 */ "Rs", "W", "NS", "D", "EUR", "K", "T", "Dr",
	/* 20B0 */ "Pf", "P", "G", "A", "UAH", "C|", "L", "Sm",
	/* 20B8 */ "T", "Rs", "L", "M", "m", "R", "l", "BTC",
	/* 20C0 */ "", "", "", "", "", "", "", "",
	/* 20C8 */ "", "", "", "", "", "", "", "",
	/* 20D0 */ "", "", "", "", "", "", "", "",
	/* 20D8 */ "", "", "", "", "", "", "", "",
	/* 20E0 */ "", "", "", "", "", "", "", "",
	/* 20E8 */ "", "", "", "", "", "", "", "",
	/* 20F0 */ "", "", "", "", "", "", "", "",
	/* 20F8 */ "", "", "", "", "", "", "", "",
	/* 2100 */ "a/c", "a/s", "C", "degC", "", "c/o", "c/u", "E",
	/* 2108 */ "", "degF", "g", "H", "H", "H", "h", "h",
	/* 2110 */ "I", "I", "L", "l", "", "N", "No", "(p)",
	/* 2118 */ "", "P", "Q", "R", "R", "R", "", "",
	/* 2120 */ "SM", "TEL", "TM", "", "Z", "", "O", "",
	/* 2128 */ "Z", "", "K", "A", "B", "C", "e", "e",
	/* 2130 */ "E", "F", "F", "M", "o", "A", "b", "g",
	/* 2138 */ "d", "i", "", "FAX", "p", "g", "G", "P",
	/* 2140 */ "", "", "", "", "", "D", "d", "e",
	/* 2148 */ "i", "j", "", "", "", "", "F", "",
	/* 2150 */ "1/7", "1/9", "1/10", "1/3", "2/3", "1/5", "2/5", "3/5",
	/* 2158 */ "4/5", "1/6", "5/6", "1/8", "3/8", "5/8", "7/8", "1/",
	/* 2160 */ "I", "II", "III", "IV", "V", "VI", "VII", "VIII",
	/* 2168 */ "IX", "X", "XI", "XII", "L", "C", "D", "M",
	/* 2170 */ "i", "ii", "iii", "iv", "v", "vi", "vii", "viii",
	/* 2178 */ "ix", "x", "xi", "xii", "l", "c", "d", "m",
	/* 2180 */ "(D", "D)", "((|))", ")", "", "", "", "",
	/* 2188 */ "", "0/3", "", "", "", "", "", "",
};
static const char punct_kind[] =
    "aaaaaaaaaaa.........................aaa........a............a..."
    ".......aaa.....................a................aa..aaaaaaa.aaaa"
    "aaaaaaaaaaa.aaa.aaaa.aaaaaaaa...........a......................."
    "................................................................"
    "aaax.aa..xaaaaa.aaaa.aa..aaaaa..aaa.a...a.amaa.aaa.aa....a.a...."
    ".....aaaaa......aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    ".........a......";

/* U+FB00 to U+FB06 */
static const char *const liga_ascii[] = {
	/* FB00 */ "ff", "fi", "fl", "ffi", "ffl", "st", "st",
};
static const char liga_kind[] =
    "aaaaaaa";

/* The named character references of HTML 4, sorted for bsearch(). */
static const struct translit_entity entities[] = {
	{ "AElig", 198 }, { "Aacute", 193 }, { "Acirc", 194 },
	{ "Agrave", 192 }, { "Alpha", 913 }, { "Aring", 197 },
	{ "Atilde", 195 }, { "Auml", 196 }, { "Beta", 914 }, { "Ccedil", 199 },
	{ "Chi", 935 }, { "Dagger", 8225 }, { "Delta", 916 }, { "ETH", 208 },
	{ "Eacute", 201 }, { "Ecirc", 202 }, { "Egrave", 200 },
	{ "Epsilon", 917 }, { "Eta", 919 }, { "Euml", 203 }, { "Gamma", 915 },
	{ "Iacute", 205 }, { "Icirc", 206 }, { "Igrave", 204 },
	{ "Iota", 921 }, { "Iuml", 207 }, { "Kappa", 922 }, { "Lambda", 923 },
	{ "Mu", 924 }, { "Ntilde", 209 }, { "Nu", 925 }, { "OElig", 338 },
	{ "Oacute", 211 }, { "Ocirc", 212 }, { "Ograve", 210 },
	{ "Omega", 937 }, { "Omicron", 927 }, { "Oslash", 216 },
	{ "Otilde", 213 }, { "Ouml", 214 }, { "Phi", 934 }, { "Pi", 928 },
	{ "Prime", 8243 }, { "Psi", 936 }, { "Rho", 929 }, { "Scaron", 352 },
	{ "Sigma", 931 }, { "THORN", 222 }, { "Tau", 932 }, { "Theta", 920 },
	{ "Uacute", 218 }, { "Ucirc", 219 }, { "Ugrave", 217 },
	{ "Upsilon", 933 }, { "Uuml", 220 }, { "Xi", 926 }, { "Yacute", 221 },
	{ "Yuml", 376 }, { "Zeta", 918 }, { "aacute", 225 }, { "acirc", 226 },
	{ "acute", 180 }, { "aelig", 230 }, { "agrave", 224 },
	{ "alefsym", 8501 }, { "alpha", 945 }, { "amp", 38 }, { "and", 8743 },
	{ "ang", 8736 }, { "aring", 229 }, { "asymp", 8776 },
	{ "atilde", 227 }, { "auml", 228 }, { "bdquo", 8222 }, { "beta", 946 },
	{ "brvbar", 166 }, { "bull", 8226 }, { "cap", 8745 },
	{ "ccedil", 231 }, { "cedil", 184 }, { "cent", 162 }, { "chi", 967 },
	{ "circ", 710 }, { "clubs", 9827 }, { "cong", 8773 }, { "copy", 169 },
	{ "crarr", 8629 }, { "cup", 8746 }, { "curren", 164 },
	{ "dArr", 8659 }, { "dagger", 8224 }, { "darr", 8595 }, { "deg", 176 },
	{ "delta", 948 }, { "diams", 9830 }, { "divide", 247 },
	{ "eacute", 233 }, { "ecirc", 234 }, { "egrave", 232 },
	{ "empty", 8709 }, { "emsp", 8195 }, { "ensp", 8194 },
	{ "epsilon", 949 }, { "equiv", 8801 }, { "eta", 951 }, { "eth", 240 },
	{ "euml", 235 }, { "euro", 8364 }, { "exist", 8707 }, { "fnof", 402 },
	{ "forall", 8704 }, { "frac12", 189 }, { "frac14", 188 },
	{ "frac34", 190 }, { "frasl", 8260 }, { "gamma", 947 }, { "ge", 8805 },
	{ "gt", 62 }, { "hArr", 8660 }, { "harr", 8596 }, { "hearts", 9829 },
	{ "hellip", 8230 }, { "iacute", 237 }, { "icirc", 238 },
	{ "iexcl", 161 }, { "igrave", 236 }, { "image", 8465 },
	{ "infin", 8734 }, { "int", 8747 }, { "iota", 953 }, { "iquest", 191 },
	{ "isin", 8712 }, { "iuml", 239 }, { "kappa", 954 }, { "lArr", 8656 },
	{ "lambda", 955 }, { "lang", 9001 }, { "laquo", 171 },
	{ "larr", 8592 }, { "lceil", 8968 }, { "ldquo", 8220 }, { "le", 8804 },
	{ "lfloor", 8970 }, { "lowast", 8727 }, { "loz", 9674 },
	{ "lrm", 8206 }, { "lsaquo", 8249 }, { "lsquo", 8216 }, { "lt", 60 },
	{ "macr", 175 }, { "mdash", 8212 }, { "micro", 181 },
	{ "middot", 183 }, { "minus", 8722 }, { "mu", 956 }, { "nabla", 8711 },
	{ "nbsp", 160 }, { "ndash", 8211 }, { "ne", 8800 }, { "ni", 8715 },
	{ "not", 172 }, { "notin", 8713 }, { "nsub", 8836 }, { "ntilde", 241 },
	{ "nu", 957 }, { "oacute", 243 }, { "ocirc", 244 }, { "oelig", 339 },
	{ "ograve", 242 }, { "oline", 8254 }, { "omega", 969 },
	{ "omicron", 959 }, { "oplus", 8853 }, { "or", 8744 }, { "ordf", 170 },
	{ "ordm", 186 }, { "oslash", 248 }, { "otilde", 245 },
	{ "otimes", 8855 }, { "ouml", 246 }, { "para", 182 }, { "part", 8706 },
	{ "permil", 8240 }, { "perp", 8869 }, { "phi", 966 }, { "pi", 960 },
	{ "piv", 982 }, { "plusmn", 177 }, { "pound", 163 }, { "prime", 8242 },
	{ "prod", 8719 }, { "prop", 8733 }, { "psi", 968 }, { "quot", 34 },
	{ "rArr", 8658 }, { "radic", 8730 }, { "rang", 9002 },
	{ "raquo", 187 }, { "rarr", 8594 }, { "rceil", 8969 },
	{ "rdquo", 8221 }, { "real", 8476 }, { "reg", 174 },
	{ "rfloor", 8971 }, { "rho", 961 }, { "rlm", 8207 },
	{ "rsaquo", 8250 }, { "rsquo", 8217 }, { "sbquo", 8218 },
	{ "scaron", 353 }, { "sdot", 8901 }, { "sect", 167 }, { "shy", 173 },
	{ "sigma", 963 }, { "sigmaf", 962 }, { "sim", 8764 },
	{ "spades", 9824 }, { "sub", 8834 }, { "sube", 8838 }, { "sum", 8721 },
	{ "sup", 8835 }, { "sup1", 185 }, { "sup2", 178 }, { "sup3", 179 },
	{ "supe", 8839 }, { "szlig", 223 }, { "tau", 964 }, { "there4", 8756 },
	{ "theta", 952 }, { "thetasym", 977 }, { "thinsp", 8201 },
	{ "thorn", 254 }, { "tilde", 732 }, { "times", 215 },
	{ "trade", 8482 }, { "uArr", 8657 }, { "uacute", 250 },
	{ "uarr", 8593 }, { "ucirc", 251 }, { "ugrave", 249 }, { "uml", 168 },
	{ "upsih", 978 }, { "upsilon", 965 }, { "uuml", 252 },
	{ "weierp", 8472 }, { "xi", 958 }, { "yacute", 253 }, { "yen", 165 },
	{ "yuml", 255 }, { "zeta", 950 }, { "zwj", 8205 }, { "zwnj", 8204 },
};

struct translit_block {
	uint32_t		 tb_first;
	size_t			 tb_count;
	const char *const	*tb_ascii;
	const char		*tb_kind;
};

#define BLOCK(first, name) \
	{ (first), nitems(name##_ascii), name##_ascii, name##_kind }

static const struct translit_block blocks[] = {
	BLOCK(0x00A0, latin),
	BLOCK(0x0370, greek),
	BLOCK(0x1E00, latext),
	BLOCK(0x2000, punct),
	BLOCK(0xFB00, liga),
};

_Static_assert(nitems(latin_ascii) == sizeof(latin_kind) - 1, "latin");
_Static_assert(nitems(greek_ascii) == sizeof(greek_kind) - 1, "greek");
_Static_assert(nitems(latext_ascii) == sizeof(latext_kind) - 1, "latext");
_Static_assert(nitems(punct_ascii) == sizeof(punct_kind) - 1, "punct");
_Static_assert(nitems(liga_ascii) == sizeof(liga_kind) - 1, "liga");

/* The 'x' entries: decompositions that keep only part of the spelling. */
static const struct {
	uint32_t	 ce_cp;
	const char	*ce_compat;
} compat_exceptions[] = {
	{ 0x0149, " n" },	/* apostrophe n: the apostrophe is not ASCII */
	{ 0x2103, " C" },	/* degree Celsius: the degree sign is not */
	{ 0x2109, " F" },	/* degree Fahrenheit */
};

/* Combining marks spell as nothing, except the small letters on top. */
#define COMBINING_FIRST		0x0300
#define COMBINING_LAST		0x036F
#define COMBINING_LETTERS	0x0363
static const char combining_letters[] = "aeioucdhmrtvx";

/* Fullwidth forms of '!' to '~' decompose to plain ASCII. */
#define FULLWIDTH_FIRST		0xFF01
#define FULLWIDTH_LAST		0xFF5E
#define FULLWIDTH_OFFSET	0xFEE0

/* The block holding cp, with *idx its index there, or NULL. */
static const struct translit_block *
find_block(uint32_t cp, size_t *idx)
{
	size_t	 i;

	for (i = 0; i < nitems(blocks); i++) {
		if (cp >= blocks[i].tb_first &&
		    cp - blocks[i].tb_first < blocks[i].tb_count) {
			*idx = cp - blocks[i].tb_first;
			return (&blocks[i]);
		}
	}
	return (NULL);
}

void
translit_ascii(uint32_t cp, struct buf *out)
{
	const struct translit_block	*b;
	size_t				 i;

	if ((b = find_block(cp, &i)) != NULL)
		buf_puts(out, b->tb_ascii[i]);
	else if (cp >= COMBINING_LETTERS && cp <= COMBINING_LAST)
		buf_putc(out, combining_letters[cp - COMBINING_LETTERS]);
	else if (cp >= FULLWIDTH_FIRST && cp <= FULLWIDTH_LAST)
		buf_putc(out, (char)(cp - FULLWIDTH_OFFSET));
}

void
translit_compat(uint32_t cp, struct buf *out)
{
	const struct translit_block	*b;
	size_t				 i;

	if (cp >= FULLWIDTH_FIRST && cp <= FULLWIDTH_LAST) {
		buf_putc(out, (char)(cp - FULLWIDTH_OFFSET));
		return;
	}
	if ((b = find_block(cp, &i)) == NULL) {
		buf_putc(out, ' ');
		return;
	}
	switch (b->tb_kind[i]) {
	case 'a':
		buf_puts(out, b->tb_ascii[i]);
		break;
	case 'm':
		buf_puts(out, b->tb_ascii[i]);
		buf_putc(out, ' ');
		break;
	case 'x':
		for (i = 0; i < nitems(compat_exceptions); i++) {
			if (compat_exceptions[i].ce_cp == cp) {
				buf_puts(out, compat_exceptions[i].ce_compat);
				return;
			}
		}
		buf_putc(out, ' ');
		break;
	default:
		buf_putc(out, ' ');
		break;
	}
}

static int
entity_cmp(const void *key, const void *elem)
{
	const struct translit_entity	*e = elem;

	return (strcmp(key, e->te_name));
}

int
translit_entity(const char *name, size_t len, uint32_t *cpp)
{
	const struct translit_entity	*e;
	char				 key[16];

	if (len == 0 || len >= sizeof(key))
		return (-1);
	memcpy(key, name, len);
	key[len] = '\0';
	e = bsearch(key, entities, nitems(entities), sizeof(entities[0]),
	    entity_cmp);
	if (e == NULL)
		return (-1);
	*cpp = e->te_cp;
	return (0);
}
