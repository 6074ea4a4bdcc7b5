"""Test factories: providers, listings, DBS checks, young auditors and audits, built the way
the product builds them. Development only (factory_boy is a development requirement)."""
