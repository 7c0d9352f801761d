"""Text handling: normalisation, the policy lexicon, stop words and the Segmenter."""
