// The per-task artifact: encoding of what one task stores besides the shared base checkpoint.
// tfjs-free: the CLI and the language server read artifacts without loading the engine.
export { encodeTaskArtifact, decodeTaskArtifact, readArtifactHeader, ArtifactFormatError, ARTIFACT_MAGIC, ARTIFACT_FORMAT_VERSION, type ArtifactHeader, type ArtifactSection, type EncodeOptions } from './taskArtifact';
export { encodeBinary, decodeBinary, binaryEntropy } from './binaryArithmeticCoder';
export { packBits, unpackBits } from './bitPacking';
