/**
 * Human-friendly two-word names for scratch notebooks.
 */

const ADJECTIVES = [
  'amber', 'bold', 'brave', 'brisk', 'calm', 'clever', 'cosy', 'crisp',
  'curly', 'daring', 'dusty', 'eager', 'early', 'fancy', 'fresh', 'gentle',
  'glad', 'golden', 'grand', 'happy', 'hardy', 'humble', 'jolly', 'keen',
  'kind', 'lively', 'lucky', 'merry', 'mild', 'misty', 'modest', 'neat',
  'nimble', 'noble', 'patient', 'plain', 'polite', 'proud', 'quick', 'quiet',
  'rapid', 'ready', 'rosy', 'rustic', 'shiny', 'silent', 'simple', 'sleek',
  'smooth', 'snowy', 'solid', 'spry', 'steady', 'sunny', 'swift', 'tidy',
  'tiny', 'vivid', 'warm', 'wise', 'witty', 'young', 'zesty', 'lucid'
];

const NOUNS = [
  'acorns', 'apples', 'badgers', 'bells', 'birds', 'boats', 'books', 'bridges',
  'brooks', 'candles', 'cliffs', 'clouds', 'comets', 'coins', 'dunes', 'embers',
  'falcons', 'ferns', 'fields', 'forests', 'funds', 'gardens', 'geese', 'hills',
  'harbours', 'kettles', 'kites', 'lakes', 'lanterns', 'leaves', 'maples', 'meadows',
  'mirrors', 'moons', 'oaks', 'orchards', 'otters', 'owls', 'pebbles', 'pines',
  'planets', 'ponds', 'rivers', 'robins', 'sails', 'seeds', 'shells', 'springs',
  'stars', 'stones', 'storms', 'streams', 'tides', 'towers', 'trails', 'tulips',
  'valleys', 'violets', 'waves', 'willows', 'winds', 'wrens', 'yarns', 'zephyrs'
];

/**
 * A random `scratch-<adjective>-<noun>.ipynb` file name.
 *
 * @param random - a source of uniform numbers in [0, 1), for tests.
 */
export function scratchName(random: () => number = Math.random): string {
  const pick = (words: readonly string[]) =>
    words[Math.floor(random() * words.length) % words.length];
  return `scratch-${pick(ADJECTIVES)}-${pick(NOUNS)}.ipynb`;
}
