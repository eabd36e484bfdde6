// Public, isomorphic site facts (safe for islands).
export const SITE_NAME = 'Soko Africa';
export const SITE_TAGLINE = "Nairobi's marketplace for luxury, made and sold by local makers";
