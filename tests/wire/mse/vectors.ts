/**
 * Known-answer values for the MSE tests, computed independently with Python's pow() and
 * hashlib: private keys X and Y, X's public key, S = 2^(XY) mod P, and the digests of S with
 * SKEY = 00 01 .. 13.
 * @module
 */

/** A private key (160 bits). */
export const X = 0x8badf00ddeadbeefcafebabe0123456789abcdefn;
/** The other side's private key. */
export const Y = 0x9000000000000000000000000000000000000001n;
/** 2^X mod P. */
export const X_PUBLIC =
  "de3037231e85c99f92cf8ee49ea438bb2c61526bb2c06afb17d12db42d081816a63c816d439bcc1aa0f827e43cf6ea069cdf96a00d111e77d75618ead3e2dc6d1268670bc04a5872a6932b5d350533c5ca883ed999ade65d36a2024007735118";
/** S = 2^(XY) mod P. */
export const SHARED =
  "dcf49f7d240ed92f741726e58d72a8f1ae3d3a45ec9a701af6f6131e5f25b6e92df4c293532edf03656a09f9e8e3d97490d47f9b2eb4b949361ef15639d1c55dbadb6d2b2f2b32a71cab7fb79621f4bd2718cc005644d20895751ca490a192da";
/** HASH('req1', S). */
export const REQ1 = "f94ae73705f9edb268f6468cf074a1f60ff03afe";
/** HASH('req2', SKEY) xor HASH('req3', S). */
export const OBFUSCATED_SKEY = "b1415c0fc091dd453c24edbac2e8f24b17eb2e4f";
/** HASH('keyA', S, SKEY). */
export const KEY_A = "88ea43b61514e95c18530f0f48244cc270f8cb64";
/** HASH('keyB', S, SKEY). */
export const KEY_B = "7445f51caa1851fb72347d30f934c62c192338c9";
