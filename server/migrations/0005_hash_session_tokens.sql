-- Browser session tokens are kept as SHA-256 hex from now on (accounts/hashed-session-tokens.ts);
-- hash the ones stored before, so nobody is signed out by the upgrade. Better Auth's raw tokens
-- are 32 alphanumeric characters, never 64 hex digits, so running this twice changes nothing.
UPDATE "session" SET "token" = encode(sha256(convert_to("token", 'UTF8')), 'hex') WHERE "token" !~ '^[0-9a-f]{64}$';
