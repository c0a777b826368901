"""Whole-inventory transformations: conversion loss, merging, diffing. Pure, no I/O."""
