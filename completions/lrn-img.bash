# bash completion for lrn-img                                  -*- shell-script -*-
# Options as src/cli/help.cpp's table lists them (options not merged yet, marked pending there,
# are not offered: lrn-img would refuse them), values as lrn-img's own messages list them;
# tests/test_completion.cpp holds both together. Self-contained: it needs bash, not the
# bash-completion package. Installed as share/bash-completion/completions/lrn-img.

_lrn_img() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev='' prefix=''
  ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
  # "--format=pn": with '=' in COMP_WORDBREAKS (bash's default) the words are "--format" "="
  # "pn"; without it, one word "--format=pn", whose replacement must keep "--format=".
  if [[ $cur == = ]]; then
    cur=''
  elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
    prev=${COMP_WORDS[COMP_CWORD - 2]}
  elif [[ $cur == --*=* ]]; then
    prev=${cur%%=*} prefix=${cur%%=*}= cur=${cur#*=}
  fi

  # --method given earlier decides what --convention and --preset accept.
  local method=lrn i
  for ((i = 1; i < COMP_CWORD; i++)); do
    [[ ${COMP_WORDS[i]} == --method ]] && method=${COMP_WORDS[i + 1]}
    [[ ${COMP_WORDS[i]} == --method=* ]] && method=${COMP_WORDS[i]#--method=}
  done
  local values=''
  case $prev in
    --convention)
      case $method in
        spatial-lrn) values='caffe onednn matconvnet' ;;
        lcn) values='torch7 jarrett pylearn2 pinto' ;;
        lms) values='torch7 zero-pad' ;;
        gcn) values='pylearn2 tf caffe-mvn' ;;
        *) values='tf torch onnx caffe' ;;
      esac
      ;;
    --method) values='lrn spatial-lrn lcn lms gcn zca' ;;
    --kernel) values='box gaussian' ;;
    --format) values='jpg png pnm tif webp npy' ;;
    --preset)
      if [[ $method == gcn ]]; then values='maxout-cifar10 coates'
      else values='blog tf-cifar10 tf-defaults alexnet-paper caffe-alexnet torch-defaults'; fi
      ;;
    --pixel-scale) values='255 1' ;;
    --layout) values='hwc chw nhwc nchw' ;;
    --dtype) values='f32 f16' ;;
    -O | --output-dir | --base)
      compopt -o filenames +o default 2>/dev/null
      mapfile -t COMPREPLY < <(compgen -P "$prefix" -d -- "$cur")
      return 0
      ;;
    --files-from | --zca-file)
      # A file (or - for stdin): readline completes file names (-o default).
      COMPREPLY=()
      return 0
      ;;
    -r | --radius | -k | --bias | -a | --alpha | -b | --beta | --size | -q | --quality | \
      --threshold | --scale | --sqrt-bias | --min-divisor | \
      --suffix | --max-pixels | --max-npy-bytes | --max-row-bytes | -t | --threads | -j | --jobs)
      # A number or a suffix: nothing to offer, and no file names either.
      compopt +o default 2>/dev/null
      COMPREPLY=()
      return 0
      ;;
  esac
  if [[ -n $values ]]; then
    compopt +o default 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "$values" -- "$cur")
    return 0
  fi

  if [[ $cur == -* ]]; then
    mapfile -t COMPREPLY < <(compgen -W '-r --radius -k --bias -a --alpha -b --beta --convention --size
      --preset --method --kernel --threshold --per-channel --joint --scale --sqrt-bias --use-std
      --min-divisor --zca-file --print-params --layout --dtype --pixel-scale --no-auto-orient --format -q --quality --lossless --keep-metadata --rescale
      --stats --json -O --output-dir --files-from -0 --null --suffix --skip-existing --quiet
      -R --recursive --base --dry-run
      --max-pixels --max-npy-bytes --max-row-bytes --lenient --strict -t --threads -j --jobs
      -h --help --version' -- "$cur")
    return 0
  fi
  # IN and OUT: any file (inputs are recognised by content, not by name).
  # No reply lets readline complete file names itself (-o default), spaces and all.
  COMPREPLY=()
}

complete -o default -F _lrn_img lrn-img
